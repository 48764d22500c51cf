"""The receipt attached to the «received» email.

No PDF renderer is installed (the printed forms are HTML printed by the browser), so
the attachment is the receipt as HTML — and only its impersonal part (code,
procedure, dates, the center's phone): the full Mẫu 01 names the applicant's ID
number and address, which no message may carry.
"""

from flask import render_template


def receipt_attachment(values: dict) -> tuple[str, str, bytes]:
    """(file name, MIME type, content) of the receipt for VALUES (a message's placeholders)."""
    html = render_template("notify/receipt.html", v=values)
    name = f"giay-tiep-nhan-{values.get('ma_ho_so', '')}.html"
    return name, "text/html", html.encode()
