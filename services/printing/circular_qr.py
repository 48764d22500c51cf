"""The QR code Circular 01/2023/TT-VPCP asks for in the top-left corner of every paper the
system prints for a dossier (TCVN 7322:2009): dossier code, procedure code, the applicant's
ID number and the document's name, so that the paper finds its digitized record again."""

import json

from models.dossier import Dossier


def payload(dossier: Dossier, document_name: str) -> str:
    """The QR's text: a compact JSON object with the portal's field names."""
    return json.dumps(
        {
            "MaHoSo": dossier.code,
            "MaTTHC": dossier.procedure_type.code,
            "SoGiayToChuHoSo": dossier.applicant_id_number or dossier.organization_tax_code or "",
            "TenGiayTo": document_name,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
