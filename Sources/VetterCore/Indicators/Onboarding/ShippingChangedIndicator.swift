import Foundation

/// The shipping address changed after the offer.
public struct ShippingChangedIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "ONB-SHIP-CHANGED-AFTER-OFFER",
        title: "Shipping address changed after the offer",
        category: .onboarding,
        defaultPoints: 15,
        strength: .moderate,
        inputs: ["onboarding.shipping_address_changed_after_offer"],
        rationale: """
            Nisos (S32): workers "often updated their mailing address prior to their equipment being shipped"; \
            Secureworks (S34) and BfV (S37) describe changing delivery addresses. A move for the new job is a \
            legitimate reason, so the step is to confirm, not to conclude.
            """,
        verify: "Ask why the address changed and confirm the new address against an ID or a utility bill, or ship to a company office.",
        references: [PublicSources.s32, PublicSources.s34, PublicSources.s37]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let changed = context.application.onboarding?.shippingAddressChangedAfterOffer else {
            return .skipped(reason: "no shipping-address history")
        }
        guard changed else { return .passed() }
        return .fired(
            explanation: "The shipping address was changed after the offer was made.",
            evidence: [Evidence(field: "onboarding.shipping_address_changed_after_offer", observed: "true", expected: "false", source: "onboarding record")]
        )
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("changed after the offer", fires: true, record: #"{"onboarding": {"shipping_address_changed_after_offer": true}}"#),
            IndicatorExample("unchanged", fires: false, record: #"{"onboarding": {"shipping_address_changed_after_offer": false}}"#),
        ]
    }
}
