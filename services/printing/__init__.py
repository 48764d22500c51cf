"""Printed forms as plain data: dossier forms, control slip, handover record, barcodes."""
