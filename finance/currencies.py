"""ISO 4217 currencies: the codes an amount sought may be stated in.

A closed list (the active alphabetic codes, without funds and precious metals), so a listing
groups "usd" and "USD " as one currency and a funder never reads a code that names nothing.
Amounts are never converted: a range is read within one currency (``finance.bands``).
"""

from __future__ import annotations

#: Active ISO 4217 alphabetic codes (list one, 2024), funds codes and metals left out.
ISO_4217_CODES: tuple[str, ...] = tuple(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
    MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
    TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
    ZWG
    """.split()
)

CURRENCY_CHOICES: tuple[tuple[str, str], ...] = tuple((code, code) for code in ISO_4217_CODES)


def normalise_currency(value: str) -> str:
    """ " usd" -> "USD"; what is not an ISO 4217 code stays as typed, for the validator."""
    return (value or "").strip().upper()
