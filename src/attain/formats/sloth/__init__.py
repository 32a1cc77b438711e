"""Sloth's documents: SLO specs and alert windows.

- `attain.formats.sloth.document`: the strict base of Sloth's document types and their validation;
- `attain.formats.sloth.spec`: `prometheus/v1` specs and `PrometheusServiceLevel` resources;
- `attain.formats.sloth.windows`: alert windows (Sloth's `AlertWindows` documents and the SRE
  workbook's table) and the catalog of them by SLO period.
"""
