"""Monitoring for coordinators: measures over the event log, exchanges, checks, flags and
disseminations, for a period and a scope (a kecamatan or the whole kabupaten).

period.py   periods in the hub's time zone (both ends inclusive) and their UTC bounds
scope.py    who sees which KIMs
measures.py the KIM table, headline figures, quiet KIMs, trends, a KIM's weeks
network.py  who shares with whom, the most travelled and the flagged items
reach.py    which KIMs an item or a source reached, and sending it on from an office
report.py   the monthly report's tables as rows, CSV and XLSX
charts.py   server-side SVG charts with a table behind each
"""
