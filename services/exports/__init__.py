"""Exports that leave the app: Excel workbook and answer template, PDF report cards, CSV; and the Excel import.

Every export works from the plain install, without a browser (design D6), and checks the actor's scope.
"""
