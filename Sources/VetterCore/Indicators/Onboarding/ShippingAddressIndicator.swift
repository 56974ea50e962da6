import Foundation

/// The equipment shipping address against the home address.
public struct ShippingAddressIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "ONB-SHIP-ADDRESS-DIFFERS",
        title: "Equipment shipping address differs from the home address",
        category: .onboarding,
        defaultPoints: 10,
        strength: .moderate,
        inputs: ["onboarding.shipping_address", "candidate.address"],
        rationale: """
            S1 advises shipping equipment only to the address on the worker's identification; Nisos (S32) and \
            Secureworks (S34) describe laptops requested at a different address after the offer, and KnowBe4's hire \
            (S29) had it sent elsewhere. People relocate for a job, so alone it is moderate; with a change after the \
            offer (ONB-SHIP-CHANGED-AFTER-OFFER) it is stronger.
            """,
        verify: "Confirm the shipping address against the address on the candidate's ID, or ship to the ID address or a company office.",
        references: [PublicSources.s1, PublicSources.s32, PublicSources.s34, PublicSources.s29]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let shipping = context.application.onboarding?.shippingAddress else { return .skipped(reason: "no shipping address") }
        guard let home = context.application.candidate.address else { return .skipped(reason: "no home address") }
        if AddressComparison.isSamePlace(shipping, home) { return .passed() }
        let where_ = [shipping.city, shipping.region, shipping.country].compactMap { $0 }.joined(separator: ", ")
        return .fired(
            explanation: "Equipment is to be shipped to an address (\(where_)) other than the candidate's home address.",
            evidence: [Evidence(field: "onboarding.shipping_address", observed: shipping.singleLine, expected: home.singleLine, source: "onboarding record")]
        )
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("ships to another state", fires: true, record: """
                {"candidate": {"address": {"lines": ["100 Congress Ave"], "city": "Austin", "region": "TX", "postal_code": "78701", "country": "US"}},
                 "onboarding": {"shipping_address": {"lines": ["12 Elm St"], "city": "Phoenix", "region": "AZ", "postal_code": "85001", "country": "US"}}}
                """),
            IndicatorExample("same address written differently", fires: false, record: """
                {"candidate": {"address": {"lines": ["100 Congress Avenue"], "city": "Austin", "postal_code": "78701", "country": "US"}},
                 "onboarding": {"shipping_address": {"lines": ["100 congress ave."], "city": "AUSTIN", "postal_code": "78701", "country": "US"}}}
                """),
        ]
    }
}
