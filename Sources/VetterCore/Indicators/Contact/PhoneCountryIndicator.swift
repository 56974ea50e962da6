import Foundation

/// The phone number's country calling code against the claimed country.
public struct PhoneCountryIndicator: Indicator {
    public init() {}

    public let descriptor = IndicatorDescriptor(
        code: "CONTACT-PHONE-COUNTRY",
        title: "Phone number's country differs from the claimed country",
        category: .contact,
        defaultPoints: 5,
        strength: .weak,
        inputs: ["candidate.phones (with an international prefix)", "candidate.address.country"],
        rationale: """
            The country calling code of each phone number is compared with the country of the claimed address. \
            S1 lists inconsistent contact information among the red flags. Recent movers, expats and people who keep \
            a number from home trigger it, so it is weak alone; a number shared with another applicant is a far \
            stronger signal (reuse checks). Virtual numbers such as Google Voice are not scored by type.
            """,
        verify: "Ask whether the candidate has a local number, or confirm the number by calling it during business hours.",
        references: [PublicSources.s1, PublicSources.s22]
    )

    public func evaluate(_ context: ScreeningContext) -> IndicatorOutcome {
        guard let country = context.application.candidate.address?.country else { return .skipped(reason: "no claimed country") }
        let phones = context.facts.phones.enumerated().filter { !$0.element.regions.isEmpty }
        guard !phones.isEmpty else { return .skipped(reason: "no phone number with an international prefix") }
        let foreign = phones.filter { !$0.element.regions.contains(country) }
        guard !foreign.isEmpty else { return .passed() }
        return .fired(
            explanation: "The phone number's calling code belongs to \(foreign.map { Countries.name($0.element.regions[0]) }.joined(separator: ", ")), not \(Countries.name(country)), the claimed country.",
            evidence: foreign.map { index, phone in
                Evidence(
                    field: "candidate.phones[\(index)]",
                    observed: "+\(phone.callingCode ?? 0) (\(phone.regions.prefix(3).joined(separator: ", ")))",
                    expected: "a number of \(country)",
                    source: "application record"
                )
            }
        )
    }

    public var examples: [IndicatorExample] {
        [
            IndicatorExample("+86 number, claims the US", fires: true, record: """
                {"candidate": {"phones": ["+86 138 0013 8000"], "address": {"country": "US"}}}
                """),
            IndicatorExample("+1 Google Voice number, claims the US", fires: false, record: """
                {"candidate": {"phones": ["+1 (512) 555-0142"], "address": {"country": "US"}}}
                """),
            IndicatorExample("+1 number, claims Canada (shared calling code)", fires: false, record: """
                {"candidate": {"phones": ["+1 416 555 0100"], "address": {"country": "CA"}}}
                """),
            IndicatorExample("national format, no prefix", fires: false, record: """
                {"candidate": {"phones": ["(512) 555-0142"], "address": {"country": "US"}}}
                """),
        ]
    }
}
