"""English (switchable in Settings): the evaluation report."""

STRINGS = {
    "report.title": "Evaluation",
    "report.year": "Year",
    "report.period": "Period",
    "report.whole_year": "Whole year",
    "report.half1": "First half",
    "report.half2": "Second half",
    "report.municipality": "Municipality",
    "report.no_agreement": "No cooperation agreement to evaluate. Add the municipality in "
                           "Settings.",
    "report.chart": "Observations per month",
    "report.suppressed_note": "Counts under 3 are shown as \"<3\" so that no young person "
                              "can be singled out.",
    "report.export_pdf": "Export PDF",
    "report.export_csv": "Export CSV",
    "report.exported": "Saved as {name} in the folder \"{folder}\" in the app's storage.",
    "report.exported_short": "The report is saved as {name}.",
    "report.download": "Download",
    "report.downloaded": "{name} has been downloaded.",
    "report.share": "Share or open",
    "report.share_failed": "Could not share the report.",
    "report.share_unavailable": "Sharing is not possible here. The report is in the folder "
                                "\"{folder}\" in the app's storage.",
    "report.export_failed": "Could not save the report.",
    "report.area_no_activity": "No activity linked to this area in the period.",
    "report.chart_categories": "Observations by category",
    "report.chart_areas": "Activity per priority area",
    "report.chart_alt": "{title}: {values}",
    "report.axis_meetings": "Meetings",
    "report.axis_decisions": "Decisions",
    "report.axis_school_visits": "School visits",
    "report.axis_observations": "Obser-\nvations",
    "report.axis_callouts": "Callouts",
    "report.axis_cases": "U18 cases",
    "report.chart_legend": "Light bar: under 3, drawn as 2 – never the exact number.",
}
