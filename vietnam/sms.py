"""SMS text rules: the GSM 03.38 basic alphabet and one 160-character segment."""

SEGMENT = 160
# The GSM 7-bit default alphabet; the extension table's characters count twice.
_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_EXTENDED = set("^{}\\[~]|€\f")


def gsm7_length(text: str) -> int:
    """TEXT's length in GSM-7 septets (an extension character takes two)."""
    return sum(2 if ch in _EXTENDED else 1 for ch in text)


def non_gsm7(text: str) -> list[str]:
    """The characters of TEXT outside the GSM-7 alphabet, each once, in order."""
    seen: list[str] = []
    for ch in text:
        if ch not in _BASIC and ch not in _EXTENDED and ch not in seen:
            seen.append(ch)
    return seen
