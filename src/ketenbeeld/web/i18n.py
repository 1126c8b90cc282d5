"""The application's words in Dutch (default) and English."""

from __future__ import annotations

__all__ = ["LANGUAGES", "translate"]

LANGUAGES = ("nl", "en")

_TEXT: dict[str, tuple[str, str]] = {
    "app.title": ("Ketenbeeld", "Ketenbeeld"),
    "app.tagline": (
        "Een gedeeld beeld van de keten tegen seksuele uitbuiting",
        "A picture shared by the chain against sexual exploitation",
    ),
    "nav.home": ("Start", "Home"),
    "nav.onderzoek": ("Onderzoek", "Research"),
    "nav.signalen": ("Signalen", "Signals"),
    "nav.online": ("Online", "Online"),
    "nav.beheer": ("Beheer", "Administration"),
    "nav.logout": ("Uitloggen", "Log out"),
    "nav.skip": ("Naar de inhoud", "Skip to content"),
    "nav.lang": ("English", "Nederlands"),
    "login.title": ("Inloggen", "Log in"),
    "login.username": ("Gebruikersnaam", "User name"),
    "login.password": ("Wachtwoord", "Password"),
    "login.submit": ("Inloggen", "Log in"),
    "login.failed": (
        "De gebruikersnaam of het wachtwoord klopt niet.",
        "The user name or password is not right.",
    ),
    "login.locked": (
        "Te veel mislukte pogingen. Probeer het over {minutes} minuten opnieuw.",
        "Too many failed attempts. Try again in {minutes} minutes.",
    ),
    "login.logged_out": ("U bent uitgelogd.", "You have logged out."),
    "home.welcome": ("Welkom, {name}", "Welcome, {name}"),
    "home.role": ("Rol: {role} bij {organisation}", "Role: {role} at {organisation}"),
    "home.nothing": (
        "Uw rol geeft nog geen toegang tot onderdelen. Vraag de beheerder.",
        "Your role gives access to no part yet. Ask the administrator.",
    ),
    "home.onderzoek": (
        "Gecodeerde dossiers importeren, bekijken, statistiek en rapport.",
        "Import and browse coded files, statistics and the report.",
    ),
    "home.signalen": (
        "Een zorg registreren en zien of een andere organisatie dezelfde persoon kent.",
        "Register a concern and see whether another organisation knows the same person.",
    ),
    "home.online": (
        "Advertentienetwerken op prioriteit, met de uitleg van elke score.",
        "Advertisement networks by priority, with the explanation of every score.",
    ),
    "home.beheer": ("Gebruikers en het auditlog.", "Users and the audit log."),
    "role.beheerder": ("beheerder", "administrator"),
    "role.onderzoeker": ("onderzoeker", "researcher"),
    "role.analist": ("analist", "analyst"),
    "role.professional": ("professional", "professional"),
    "error.title": ("Er ging iets mis", "Something went wrong"),
    "error.csrf": (
        "Het formulier is verlopen of niet van deze site (CSRF-controle). "
        "Laad de pagina opnieuw en probeer het nog eens.",
        "The form has expired or is not from this site (CSRF check). "
        "Reload the page and try again.",
    ),
    "error.forbidden": (
        "Uw rol geeft geen toegang tot dit onderdeel.",
        "Your role does not give access to this part.",
    ),
    "error.not_found": ("Niet gevonden.", "Not found."),
    "error.back": ("Terug naar de start", "Back to home"),
    "cases.title": ("Onderzoek: gecodeerde dossiers", "Research: coded case files"),
    "cases.count": ("{n} zaken in de database", "{n} cases in the database"),
    "cases.none": (
        "Er zijn nog geen zaken. Importeer gecodeerde dossiers.",
        "There are no cases yet. Import coded case files.",
    ),
    "cases.case_id": ("Zaak", "Case"),
    "cases.page": ("pagina {number} van {pages}", "page {number} of {pages}"),
    "cases.pages": ("Pagina's", "Pages"),
    "cases.previous": ("Vorige", "Previous"),
    "cases.next": ("Volgende", "Next"),
    "cases.year_start": ("Startjaar", "Start year"),
    "cases.perpetrators": ("Daders", "Perpetrators"),
    "cases.victims": ("Slachtoffers", "Victims"),
    "cases.synthetic": ("Synthetisch", "Synthetic"),
    "cases.import": ("Importeren", "Import"),
    "cases.import_title": ("Gecodeerde dossiers importeren", "Import coded case files"),
    "cases.import_help": (
        "JSON, JSONL, CSV of XLSX in het codeboekformaat. Alles of niets: bij één fout "
        "wordt niets geïmporteerd. Een bekende zaak wordt vervangen.",
        "JSON, JSONL, CSV or XLSX in the codebook format. All or nothing: with any "
        "problem nothing is imported. A known case is replaced.",
    ),
    "cases.files": ("Bestanden", "Files"),
    "cases.dry_run": ("Alleen controleren, niets opslaan", "Validate only, store nothing"),
    "cases.import_problem": (
        "1 probleem gevonden; er is niets geïmporteerd.",
        "1 problem found; nothing was imported.",
    ),
    "cases.import_problems": (
        "{n} problemen gevonden; er is niets geïmporteerd.",
        "{n} problems found; nothing was imported.",
    ),
    "cases.import_ok": (
        "{n} zaken geïmporteerd ({new} nieuw, {replaced} vervangen).",
        "{n} cases imported ({new} new, {replaced} replaced).",
    ),
    "cases.dry_ok": (
        "{n} zaken zijn geldig; er is niets opgeslagen.",
        "{n} cases are valid; nothing was stored.",
    ),
    "cases.no_files": ("Kies minstens één bestand.", "Choose at least one file."),
    "cases.problem_where": ("Waar", "Where"),
    "cases.problem_field": ("Veld", "Field"),
    "cases.problem_what": ("Wat is er mis", "What is wrong"),
    "cases.stats": ("Statistiek", "Statistics"),
    "cases.report_html": ("Rapport (HTML)", "Report (HTML)"),
    "cases.report_pdf": ("Rapport (PDF)", "Report (PDF)"),
    "cases.variable": ("Kenmerk", "Variable"),
    "cases.value": ("Waarde", "Value"),
    "cases.unknown": ("onbekend", "unknown"),
    "cases.evidence": ("Bewijs in de tekst", "Evidence in the text"),
    "stats.title": ("Statistiek", "Statistics"),
    "stats.summary": (
        "{cases} zaken, {perpetrators} daders, {victims} slachtoffers",
        "{cases} cases, {perpetrators} perpetrators, {victims} victims",
    ),
    "stats.numerator": ("Teller", "Numerator"),
    "stats.denominator": ("Noemer", "Denominator"),
    "stats.missing": ("Onbekend", "Unknown"),
    "stats.ci": ("95%-BI", "95% CI"),
    "stats.suppressed": ("onderdrukt", "suppressed"),
    "stats.empty": (
        "Er zijn nog geen zaken om statistiek over te maken.",
        "There are no cases to compute statistics on yet.",
    ),
    "signals.title": ("Signalen", "Signals"),
    "signals.register": ("Zorg registreren", "Register a concern"),
    "signals.node_note": (
        "De gegevens over de persoon blijven bij {organisation}: ze worden hier, op de "
        "server van uw organisatie, versleuteld tot een codering met de ketensleutel. "
        "Alleen die codering gaat naar de centrale index, die niet kan zien over wie "
        "het gaat.",
        "What you enter about the person stays at {organisation}: it is encoded here, "
        "on your organisation's server, with the chain key. Only the encoding goes to "
        "the central index, which cannot see who it is about.",
    ),
    "signals.first_name": ("Voornaam", "First name"),
    "signals.name_prefix": ("Tussenvoegsel", "Name prefix"),
    "signals.last_name": ("Achternaam", "Last name"),
    "signals.date_of_birth": ("Geboortedatum (DD-MM-JJJJ)", "Date of birth (DD-MM-YYYY)"),
    "signals.gender": ("Geslacht", "Gender"),
    "signals.postcode": ("Postcode", "Postcode"),
    "signals.house_number": ("Huisnummer", "House number"),
    "signals.city": ("Woonplaats", "City"),
    "signals.bsn": (
        "BSN (alleen als uw organisatie dat mag gebruiken)",
        "BSN (only where your organisation may lawfully use it)",
    ),
    "signals.category": ("Soort zorg", "Kind of concern"),
    "signals.legal_basis": ("Grondslag", "Legal basis"),
    "signals.contact_ref": (
        "Hoe bereikt een andere professional u (team, telefoon, e-mail)",
        "How another professional reaches you (team, phone, e-mail)",
    ),
    "signals.submit": ("Registreren", "Register"),
    "signals.registered": ("Het signaal is geregistreerd.", "The signal has been registered."),
    "signals.new_matches": (
        "Er is een match: een andere organisatie heeft zorg over dezelfde persoon.",
        "There is a match: another organisation is concerned about the same person.",
    ),
    "signals.mine": ("Mijn signalen", "My signals"),
    "signals.none": ("Nog geen signalen.", "No signals yet."),
    "signals.person": ("Persoon", "Person"),
    "signals.registered_at": ("Geregistreerd", "Registered"),
    "signals.active_until": ("Actief tot", "Active until"),
    "signals.keep_until": ("Zichtbaar tot", "Visible until"),
    "signals.no_node": (
        "Deze installatie is niet als node van de keten ingericht.",
        "This installation is not set up as a node of the chain.",
    ),
    "matches.title": ("Matches", "Matches"),
    "matches.none": ("Geen matches.", "No matches."),
    "matches.status": ("Status", "Status"),
    "matches.client": ("Uw cliënt", "Your client"),
    "matches.other": ("Andere organisatie", "Other organisation"),
    "matches.other_contact": (
        "Contact bij de andere organisatie",
        "Contact at the other organisation",
    ),
    "matches.lead": ("Regie", "Lead"),
    "matches.take_lead": ("Regie nemen", "Take the lead"),
    "matches.record_contact": ("Contact vastleggen", "Record contact"),
    "matches.close": ("Afsluiten", "Close"),
    "matches.close_reason": ("Reden van afsluiten", "Reason for closing"),
    "matches.created": ("Ontstaan", "Created"),
    "matches.open": ("Bekijken", "Open"),
    "status.new": ("nieuw", "new"),
    "status.lead": ("regie genomen", "lead taken"),
    "status.contact": ("contact gelegd", "contact made"),
    "status.closed": ("afgesloten", "closed"),
    "reason.coordinated": ("afgestemd", "coordinated"),
    "reason.not_same_person": ("niet dezelfde persoon", "not the same person"),
    "reason.no_longer_needed": ("niet meer nodig", "no longer needed"),
    "online.title": ("Online: wachtrij", "Online: queue"),
    "online.none": (
        "Er zijn nog geen geclusterde advertenties.",
        "There are no clustered advertisements yet.",
    ),
    "online.cluster": ("Netwerk", "Network"),
    "online.ads": ("Advertenties", "Ads"),
    "online.priority": ("Prioriteit", "Priority"),
    "online.why": ("Waarom", "Why"),
    "online.newest": ("Nieuwste", "Newest"),
    "online.cities": ("Steden", "Cities"),
    "online.ad": ("Advertentie", "Ad"),
    "online.posted": ("Geplaatst", "Posted"),
    "online.city": ("Stad", "City"),
    "online.contact": ("Contact", "Contact"),
    "online.text": ("Tekst", "Text"),
    "online.template": (
        "Sjabloon (wisselende delen gemarkeerd)",
        "Template (varying parts marked)",
    ),
    "online.history": ("Geschiedenis", "History"),
    "online.identifiers": ("Gedeelde contactgegevens", "Shared identifiers"),
    "online.kind": ("Soort", "Kind"),
    "online.kind.phone": ("telefoon", "phone"),
    "online.kind.email": ("e-mail", "e-mail"),
    "online.kind.handle": ("account", "handle"),
    "online.timeline": ("Tijdlijn van plaatsingen", "Timeline of postings"),
    "online.day": ("Dag", "Day"),
    "online.status.new": ("nieuw", "new"),
    "online.status.in_review": ("in behandeling", "in review"),
    "online.status.escalated": ("opgeschaald", "escalated"),
    "online.status.dismissed": ("afgewezen", "dismissed"),
    "online.term.size": ("omvang", "size"),
    "online.term.recency": ("recent", "recency"),
    "online.note": ("Notitie", "Note"),
    "online.save": ("Opslaan", "Save"),
    "online.formula": (
        "prioriteit = som van de indicatoren + grootte · log2(1 + advertenties) + recentheid",
        "priority = sum of indicators + size · log2(1 + ads) + recency",
    ),
    "admin.users": ("Gebruikers", "Users"),
    "admin.audit": ("Auditlog", "Audit log"),
    "admin.new_user": ("Nieuwe gebruiker", "New user"),
    "admin.display_name": ("Naam", "Name"),
    "admin.organisation": ("Organisatie", "Organisation"),
    "admin.role": ("Rol", "Role"),
    "admin.created": ("Aangemaakt", "Created"),
    "admin.disabled": ("Geblokkeerd", "Disabled"),
    "admin.create": ("Aanmaken", "Create"),
    "admin.created_ok": ("Gebruiker {name} is aangemaakt.", "User {name} has been created."),
    "admin.audit_ok": (
        "Het auditlog is intact: {n} gebeurtenissen, de keten van hashes klopt.",
        "The audit log is intact: {n} events, the hash chain verifies.",
    ),
    "admin.audit_broken": (
        "Het auditlog is aangetast: {detail}",
        "The audit log has been tampered with: {detail}",
    ),
    "admin.at": ("Tijdstip", "Time"),
    "admin.actor": ("Wie", "Who"),
    "admin.action": ("Actie", "Action"),
    "admin.object": ("Object", "Object"),
    "admin.result": ("Uitkomst", "Result"),
    "job.cases.import": ("Dossiers importeren", "Importing case files"),
    "job.cases.extract": ("Samenvattingen coderen", "Coding summaries"),
    "job.online.cluster": ("Advertenties clusteren", "Clustering advertisements"),
    "job.status.queued": ("In de wachtrij", "Queued"),
    "job.status.running": ("Bezig", "Running"),
    "job.status.done": ("Klaar", "Done"),
    "job.status.failed": ("Mislukt", "Failed"),
    "job.status.interrupted": ("Onderbroken", "Interrupted"),
    "job.done": ("Klaar.", "Done."),
    "job.problem": (
        "1 probleem gevonden; er is niets opgeslagen.",
        "1 problem found; nothing was stored.",
    ),
    "job.problems": (
        "{n} problemen gevonden; er is niets opgeslagen.",
        "{n} problems found; nothing was stored.",
    ),
    "job.next": ("Verder", "Continue"),
    "job.back": ("Terug", "Back"),
    "drafts.title": ("Voorgestelde coderingen", "Proposed codings"),
    "drafts.help": (
        "Upload samenvattingen (UTF-8 .txt). Ketenbeeld stelt per samenvatting een "
        "codering voor, elke waarde met de woorden waarop die rust. U accepteert of "
        "verbetert elke waarde; wie en wanneer wordt bewaard. Daarna importeert u de zaak.",
        "Upload summaries (UTF-8 .txt). Ketenbeeld proposes a coding per summary, every "
        "value with the words it rests on. You accept or correct each value; who and when "
        "is kept. Then you import the case.",
    ),
    "drafts.deidentify": (
        "Eerst pseudonimiseren (namen, adressen, telefoonnummers, ... vervangen); "
        "alleen de gepseudonimiseerde tekst wordt bewaard",
        "De-identify first (names, addresses, phone numbers, ... replaced); only the "
        "de-identified text is kept",
    ),
    "drafts.start": ("Coderen", "Code"),
    "drafts.none": ("Nog geen voorstellen.", "No proposals yet."),
    "drafts.status.draft": ("te beoordelen", "to review"),
    "drafts.status.imported": ("geïmporteerd", "imported"),
    "drafts.reviewed": (
        "{done} van {total} waarden beoordeeld",
        "{done} of {total} values reviewed",
    ),
    "drafts.review": ("Beoordelen", "Review"),
    "drafts.text": ("Samenvatting", "Summary"),
    "drafts.fields": ("Voorgestelde waarden", "Proposed values"),
    "drafts.accept": ("Accepteren", "Accept"),
    "drafts.correct": ("Verbeteren", "Correct"),
    "drafts.kept": ("{action} door {by} op {at}", "{action} by {by} at {at}"),
    "drafts.action.accepted": ("geaccepteerd", "accepted"),
    "drafts.action.corrected": ("verbeterd", "corrected"),
    "drafts.import": ("Zaak importeren", "Import the case"),
    "drafts.imported": (
        "De zaak {case_id} is geïmporteerd.",
        "The case {case_id} has been imported.",
    ),
    "drafts.empty_hint": ("leeg = onbekend", "empty = unknown"),
    "drafts.no_evidence": ("geen bewijs in de tekst", "no evidence in the text"),
    "online.recluster": ("Opnieuw clusteren", "Cluster again"),
    "online.clustered": (
        "{ads} advertenties in {clusters} clusters ({networks} met meer dan één advertentie).",
        "{ads} ads in {clusters} clusters ({networks} with more than one ad).",
    ),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
}


def translate(key: str, lang: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` with ``values`` filled in (the key if unknown)."""
    pair = _TEXT.get(key)
    if pair is None:
        return key
    text = pair[0] if lang == "nl" else pair[1]
    return text.format(**values) if values else text
