import Foundation

/// Salary paid to a bank in a country other than the claimed residence.
public struct PayeeCountryIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "ONB-PAYEE-COUNTRY",
        title: "Pay account's bank is outside the claimed country of residence",
        category: .onboarding,
        defaultPoints: 0,
        strength: .weak,
        inputs: ["onboarding.payment.bank_country", "candidate.address.country"],
        rationale: """
            Shown for the reviewer but not scored by default: the catalog (§6) warns that foreign bank accounts and \
            payment services are common among immigrants and contractors and must not be scored by themselves. \
            It is listed so that, together with a third-party payee or a shared account, a reviewer sees the whole \
            payment picture. A policy may give it points only after a fairness review.
            """,
        verify: "Confirm with the candidate how they want to be paid and that payroll can pay that account lawfully.",
        references: [PublicSources.s1, PublicSources.s34]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let bank = context.application.onboarding?.payment?.bankCountry else { return .skipped(reason: "no bank country") }
        guard let home = context.application.candidate.address?.country else { return .skipped(reason: "no claimed country") }
        if bank == home { return .passed() }
        return .fired(
            explanation: "The pay account's bank is in \(Countries.name(bank)), not in \(Countries.name(home)) where the candidate lives.",
            evidence: [Evidence(field: "onboarding.payment.bank_country", observed: bank, expected: home, source: "onboarding record")]
        )
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("bank abroad", fires: true, record: #"{"candidate": {"address": {"country": "US"}}, "onboarding": {"payment": {"bank_country": "HK"}}}"#),
            IndicatorExample("bank at home", fires: false, record: #"{"candidate": {"address": {"country": "US"}}, "onboarding": {"payment": {"bank_country": "US"}}}"#),
        ]
    }
}
