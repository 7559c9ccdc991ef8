"""Sandbox payment gateways and payout providers for the methods and banks of
``pasar_ukeu.data``. A real adapter (Adyen, Stripe, PayPal, Klarna, a bank's payout API) is a
drop-in replacement answering the same hooks."""
from __future__ import annotations

from pasar.contracts import BankAccount, ProviderContext
from pasar.sandbox import SandboxGateway, SandboxPayoutProvider

from pasar_ukeu.data.countries import CURRENCY_OF
from pasar_ukeu.data.payments import METHODS, gateway_for
from pasar_ukeu.data.payouts import FORMATS, iban_checksum_valid


def gateway(method: str, context: ProviderContext) -> SandboxGateway | None:
    """The sandbox gateway processing ``method``, or ``None`` for a method not ours."""
    spec = gateway_for(method)
    if spec is None:
        return None
    return SandboxGateway(
        code=spec.code,
        provider_name=spec.provider_name,
        methods={code: METHODS[code] for code in spec.methods},
        context=context,
    )


class IbanPayoutProvider(SandboxPayoutProvider):
    """A SEPA payout provider: besides the country's IBAN layout it checks the IBAN's check
    digits, as every SEPA bank does before it accepts a transfer, so a mistyped digit is
    caught when the seller registers rather than when the payout bounces."""

    def validate_account(self, account: BankAccount) -> list[str]:
        problems = super().validate_account(account)
        layout_ok = not any(problem.startswith("number:") for problem in problems)
        if layout_ok and not iban_checksum_valid(account.number):
            problems.append(f"number: {account.number!r} has wrong IBAN check digits")
        return problems


def payout_provider(country: str, context: ProviderContext) -> SandboxPayoutProvider | None:
    """The sandbox payout provider for ``country``, or ``None`` for a country not served."""
    account = FORMATS.get(country)
    if account is None:
        return None
    provider_class = IbanPayoutProvider if account.iban else SandboxPayoutProvider
    return provider_class(
        code=account.provider,
        country=country,
        currency=CURRENCY_OF[country],
        context=context,
        account_pattern=account.account_pattern,
        bank_code_pattern=account.bank_code_pattern,
        account_label=account.account_label,
    )
