"""One router per part of the web application."""
