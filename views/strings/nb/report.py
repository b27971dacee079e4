"""Norsk bokmål: the officer's language: the evaluation report."""

STRINGS = {
    "report.title": "Evaluering",
    "report.year": "År",
    "report.period": "Periode",
    "report.whole_year": "Hele året",
    "report.half1": "1. halvår",
    "report.half2": "2. halvår",
    "report.municipality": "Kommune",
    "report.no_agreement": "Ingen samarbeidsavtale å evaluere. Legg til kommunen under "
                           "Innstillinger.",
    "report.chart": "Observasjoner per måned",
    "report.suppressed_note": "Tall under 3 vises som «<3», så ingen ungdom kan pekes ut.",
    "report.export_pdf": "Eksporter PDF",
    "report.export_csv": "Eksporter CSV",
    "report.exported": "Lagret som {name} i mappen «{folder}» i appens lagring. Trykk «Del "
                       "eller åpne» for å sende den eller åpne den i en annen app.",
    "report.exported_short": "Rapporten er lagret som {name}.",
    "report.share": "Del eller åpne",
    "report.share_failed": "Kunne ikke dele rapporten.",
    "report.share_unavailable": "Deling er ikke mulig her. Rapporten ligger i mappen "
                                "«{folder}» i appens lagring.",
    "report.export_failed": "Kunne ikke lagre rapporten.",
    "report.area_no_activity": "Ingen aktivitet knyttet til området i perioden.",
    "report.chart_categories": "Observasjoner etter kategori",
    "report.chart_areas": "Aktivitet per satsingsområde",
    "report.chart_alt": "{title}: {values}",
    "report.axis_meetings": "Møter",
    "report.axis_decisions": "Vedtak",
    "report.axis_school_visits": "Skole-\nbesøk",
    "report.axis_observations": "Obser-\nvasjoner",
    "report.axis_callouts": "Innkal-\nlinger",
    "report.axis_cases": "U18-\nsaker",
    "report.chart_legend": "Lys søyle: under 3, tegnet som 2 – aldri det nøyaktige tallet.",
}
