"""Exchange with the outside: exports that leave the app (Excel workbook and answer template, PDF report cards,
CSV) and the imports that come back (the Excel answer file).

Every export works from the plain install, without a browser (design D6), and checks the actor's scope.
"""
