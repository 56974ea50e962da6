/// The indicators in use. Modules with their own data (IP intelligence, the identity
/// store, threat feeds) append theirs.
public struct IndicatorCatalog: Sendable {
    public var indicators: [any Indicator]

    public init(_ indicators: [any Indicator]) {
        self.indicators = indicators
    }

    /// The indicators that need no external database.
    public static let core = IndicatorCatalog([
        BrowserTimeZoneIndicator(),
        ClaimedTimeZoneIndicator(),
        WorkingHoursIndicator(),
        PhoneCountryIndicator(),
        DisposableEmailIndicator(),
        SharedWithReferenceIndicator(),
        NameConsistencyIndicator(),
        OverlappingRolesIndicator(),
        ImpossibleDatesIndicator(),
        ExperienceExceedsCareerIndicator(),
        ShippingAddressIndicator(),
        ShippingChangedIndicator(),
        PayeeNameIndicator(),
        PayeeCountryIndicator(),
        CameraOffIndicator(),
        LocationCheckIndicator(),
    ] + NetworkIndicators.network + DocumentIndicators.document + IndicatorCatalog.reuse + IndicatorCatalog.intel)

    public func indicator(code: String) -> (any Indicator)? {
        indicators.first { $0.descriptor.code.caseInsensitiveCompare(code) == .orderedSame }
    }

    public var codes: [String] { indicators.map(\.descriptor.code) }

    public static func + (lhs: IndicatorCatalog, rhs: [any Indicator]) -> IndicatorCatalog {
        IndicatorCatalog(lhs.indicators + rhs)
    }
}
