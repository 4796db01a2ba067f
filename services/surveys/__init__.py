"""Public surveys: SKM (PermenPANRB 14/2017), the Ombudsman user survey and a public-trust survey.

definitions  survey texts shipped in criteria/surveys, pinned per period by sha256
links        one public link (and typable code) per unit, optionally per product or counter; kiosks; poster
public       what the no-login page may do: open a link, submit an answer (anti-stuffing rules)
results      SKM results per 14/2017, breakdowns, suggestions, review of held responses
output_feed  the Output indicators' tallies filled from the user survey, and reasoned overrides
reports      SKM report PDF/Excel, region league table, anonymised CSV, paper form, paper import
"""
