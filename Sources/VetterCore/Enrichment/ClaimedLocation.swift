import Foundation

/// Where the candidate says they are, and the time zones that claim allows.
public struct ClaimedLocation: Sendable, Equatable {
    /// ISO country of the claimed residence.
    public var country: String?
    /// The zones the claim allows. Empty when nothing is claimed.
    public var allowedZones: Set<String>
    /// How the zones were chosen ("city Austin, US", "country US", "claimed_timezone").
    public var basis: String
    /// Evidence field for findings.
    public var field: String

    public init(country: String?, allowedZones: Set<String>, basis: String, field: String) {
        self.country = country
        self.allowedZones = allowedZones
        self.basis = basis
        self.field = field
    }

    /// The UTC offsets, in minutes, the allowed zones have at `date`.
    public func allowedOffsets(at date: Date) -> Set<Int> {
        Set(allowedZones.compactMap { TimeZone(identifier: $0)?.secondsFromGMT(for: date) }.map { $0 / 60 })
    }

    /// Resolves the claim of an application: the address (city, then region, then country);
    /// without an address, the candidate's own `claimed_timezone`.
    public static func resolve(_ application: Application, reference: ReferenceData) -> ClaimedLocation? {
        let claimedZone = application.candidate.claimedTimezone
        guard let address = application.candidate.address, let country = address.country else {
            return claimedZone.map {
                ClaimedLocation(country: nil, allowedZones: [$0], basis: "stated time zone \($0)", field: "candidate.claimed_timezone")
            }
        }
        let countryZones = reference.zonesByCountry[country] ?? []
        if let city = address.city, let zones = reference.zonesByCity[ReferenceData.key(country, city)], !zones.isEmpty {
            if let region = address.region, let regionZones = reference.zonesByRegion[ReferenceData.key(country, region)] {
                let both = zones.intersection(regionZones)
                if !both.isEmpty {
                    return ClaimedLocation(country: country, allowedZones: both, basis: "city \(city), \(region), \(country)", field: "candidate.address")
                }
            }
            return ClaimedLocation(country: country, allowedZones: zones, basis: "city \(city), \(country)", field: "candidate.address")
        }
        if let region = address.region, let zones = reference.zonesByRegion[ReferenceData.key(country, region)], !zones.isEmpty {
            return ClaimedLocation(country: country, allowedZones: zones, basis: "region \(region), \(country)", field: "candidate.address")
        }
        if !countryZones.isEmpty {
            return ClaimedLocation(country: country, allowedZones: countryZones, basis: "country \(country)", field: "candidate.address.country")
        }
        return ClaimedLocation(country: country, allowedZones: [], basis: "country \(country) (no zone data)", field: "candidate.address.country")
    }
}
