import Foundation

/// Why reference data could not be loaded.
public struct ReferenceDataError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

/// The reference tables behind the enrichers, loaded once from `Config/reference/` and the
/// system time-zone database. See `Config/reference/README.md` for sources and licences.
public struct ReferenceData: Sendable {
    /// IANA zones per ISO country, from `zone1970.tab` (a zone may serve several countries).
    public var zonesByCountry: [String: Set<String>]
    /// Zones per (country, region code or folded region name).
    public var zonesByRegion: [String: Set<String>]
    /// Zone per (country, folded city name); a city name may map to several zones.
    public var zonesByCity: [String: Set<String>]
    /// Country calling code → ISO regions.
    public var regionsByCallingCode: [Int: [String]]
    public var disposableEmailDomains: Set<String>

    public init(
        zonesByCountry: [String: Set<String>] = [:],
        zonesByRegion: [String: Set<String>] = [:],
        zonesByCity: [String: Set<String>] = [:],
        regionsByCallingCode: [Int: [String]] = [:],
        disposableEmailDomains: Set<String> = []
    ) {
        self.zonesByCountry = zonesByCountry
        self.zonesByRegion = zonesByRegion
        self.zonesByCity = zonesByCity
        self.regionsByCallingCode = regionsByCallingCode
        self.disposableEmailDomains = disposableEmailDomains
    }

    /// The system's `zone1970.tab`, or the copy named by `VETTER_ZONE1970`.
    public static let systemZoneTable = URL(fileURLWithPath: ProcessInfo.processInfo.environment["VETTER_ZONE1970"]
        ?? "/usr/share/zoneinfo/zone1970.tab")

    /// Loads the tables from a `Config` folder.
    public static func load(configDirectory: URL, zoneTable: URL = systemZoneTable) throws(ReferenceDataError) -> ReferenceData {
        let reference = configDirectory.appendingPathComponent("reference")
        var data = ReferenceData()
        for row in try rows(zoneTable, minimumColumns: 3) {
            for country in row[0].split(separator: ",") {
                data.zonesByCountry[String(country), default: []].insert(row[2])
            }
        }
        for row in try rows(reference.appendingPathComponent("region-zones.tsv"), minimumColumns: 4) {
            let zones = Set(row[3].split(separator: ",").map(String.init))
            data.zonesByRegion[key(row[0], row[1]), default: []].formUnion(zones)
            if !row[2].isEmpty { data.zonesByRegion[key(row[0], row[2]), default: []].formUnion(zones) }
        }
        for row in try rows(reference.appendingPathComponent("city-zones.tsv"), minimumColumns: 4) {
            data.zonesByCity[key(row[0], row[2]), default: []].insert(row[3])
        }
        for row in try rows(reference.appendingPathComponent("calling-codes.tsv"), minimumColumns: 2) {
            if let code = Int(row[0]) { data.regionsByCallingCode[code] = row[1].split(separator: ",").map(String.init) }
        }
        for row in try rows(reference.appendingPathComponent("disposable-email-domains.txt"), minimumColumns: 1) {
            data.disposableEmailDomains.insert(row[0].lowercased())
        }
        return data
    }

    static func key(_ country: String, _ name: String) -> String {
        "\(country.uppercased())|\(fold(name))"
    }

    /// Lower-case, no diacritics, single spaces; used for city and region names.
    public static func fold(_ text: String) -> String {
        // ASCII (nearly every address): folding only lower-cases A-Z, so the bytes are mapped
        // directly; the result is `foldingWithFoundation`'s (a test compares them).
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return foldingWithFoundation(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "'"): continue
            case UInt8(ascii: " "), UInt8(ascii: "-"): pendingSpace = !out.isEmpty
            default:
                if pendingSpace { out.append(UInt8(ascii: " ")); pendingSpace = false }
                out.append(TextSearch.asciiLowercased(byte))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func foldingWithFoundation(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .replacingOccurrences(of: "-", with: " ")
            .replacingOccurrences(of: "'", with: "")
            .split(separator: " ").joined(separator: " ")
    }

    private static func rows(_ url: URL, minimumColumns: Int) throws(ReferenceDataError) -> [[String]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ReferenceDataError(file: url.path, message: "reference table missing or unreadable")
        }
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
            return columns.count >= minimumColumns ? columns : nil
        }
    }
}
