import CMaxMindDB
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a database could not be opened or an address not looked up. Messages name the file and
/// the problem, never candidate data other than the address asked about.
public struct IPDatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case missingFile = "missing file"
        case unreadable = "not a readable MaxMind DB"
        case wrongType = "wrong database type"
        case badAddress = "not an IP address"
        case lookupFailed = "lookup failed"
    }

    public var kind: Kind
    public var message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// What a database holds, from its metadata `database_type` and, failing that, the keys present.
public enum IPDatabaseKind: String, Sendable, CaseIterable {
    /// Country, region, city, coordinates and usually a time zone (GeoLite2/GeoIP2-City, DB-IP City Lite).
    case city
    /// Country only (GeoLite2/GeoIP2-Country, DB-IP Country Lite).
    case country
    /// Country and ASN in one file (IPinfo Lite, IPinfo Country+ASN).
    case countryASN = "country-asn"
    /// ASN and organisation only (GeoLite2-ASN, DB-IP ASN Lite, IPinfo ASN).
    case asn
    /// Anonymizer flags (GeoIP2-Anonymous-IP): VPN, hosting, Tor, public proxy.
    case anonymousIP = "anonymous-ip"
    /// Nothing Vetter reads.
    case unsupported

    public var hasLocation: Bool { self == .city || self == .country || self == .countryASN }
    public var hasASN: Bool { self == .asn || self == .countryASN }
}

/// The key layout of the records.
public enum IPDatabaseLayout: String, Sendable {
    /// MaxMind's nested maps (`country.iso_code`, `location.time_zone`,
    /// `autonomous_system_number`), also used by DB-IP Lite.
    case maxmind
    /// IPinfo's flat keys (`country_code`, `asn` as "AS15169", `as_name`).
    case ipinfo
}

public struct IPDatabaseMetadata: Sendable, Equatable {
    public var databaseType: String
    public var buildDate: Date
    public var ipVersion: Int
    public var nodeCount: Int
    public var recordSize: Int
    public var languages: [String]
    public var description: String?

    /// `2024-06-18` from the build epoch.
    public var buildDay: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: buildDate)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}

/// What one database says about one address. Fields the database does not carry stay nil.
public struct IPLookup: Sendable, Equatable {
    public var country: String?
    public var region: String?
    public var city: String?
    public var latitude: Double?
    public var longitude: Double?
    public var timeZone: String?
    public var asn: Int?
    public var asOrganization: String?
    /// Network classes from anonymizer flags (`vpn`, `hosting`, `tor`, `proxy`, `residential-proxy`).
    public var networkClasses: Set<String> = []
    /// Prefix length of the matching network, in the address's own family (IPv4 /22, not /118).
    public var prefixLength: Int

    public init(prefixLength: Int) { self.prefixLength = prefixLength }
}

/// A MaxMind DB (`.mmdb`) file opened through libmaxminddb (memory-mapped).
///
/// `MMDB_s` lives at a stable heap address because lookup results keep a pointer to it. The
/// handle is read-only after opening; libmaxminddb documents lookups as thread-safe.
public final class MaxMindDatabase: @unchecked Sendable {
    public let path: String
    public let metadata: IPDatabaseMetadata
    public let kind: IPDatabaseKind
    public let layout: IPDatabaseLayout

    private let db: UnsafeMutablePointer<MMDB_s>
    private let paths: FieldPaths

    /// Opens `path`. Throws for a missing file or a file libmaxminddb rejects (corrupt, truncated,
    /// not an mmdb). With `expecting`, also throws when the database cannot answer that kind of
    /// question (an ASN database given where a City database is required).
    public init(path: String, expecting: IPDatabaseKind? = nil) throws(IPDatabaseError) {
        let name = (path as NSString).lastPathComponent
        guard FileManager.default.fileExists(atPath: path) else {
            throw IPDatabaseError(.missingFile, "IP database \(path): no such file")
        }
        let db = UnsafeMutablePointer<MMDB_s>.allocate(capacity: 1)
        db.initialize(to: MMDB_s())
        let status = MMDB_open(path, UInt32(MMDB_MODE_MMAP), db)
        guard status == MMDB_SUCCESS else {
            db.deallocate()
            throw IPDatabaseError(.unreadable, "IP database \(name): \(String(cString: MMDB_strerror(status)))")
        }
        let m = db.pointee.metadata
        var languages: [String] = []
        if let names = m.languages.names {
            for i in 0..<Int(m.languages.count) { if let p = names[i] { languages.append(String(cString: p)) } }
        }
        var englishDescription: String?
        if let descriptions = m.description.descriptions {
            for i in 0..<Int(m.description.count) {
                guard let d = descriptions[i]?.pointee, let lang = d.language, let text = d.description else { continue }
                if String(cString: lang) == "en" || englishDescription == nil { englishDescription = String(cString: text) }
            }
        }
        let metadata = IPDatabaseMetadata(
            databaseType: m.database_type.map { String(cString: $0) } ?? "",
            buildDate: Date(timeIntervalSince1970: TimeInterval(m.build_epoch)),
            ipVersion: Int(m.ip_version),
            nodeCount: Int(m.node_count),
            recordSize: Int(m.record_size),
            languages: languages,
            description: englishDescription
        )
        self.db = db
        self.path = path
        self.metadata = metadata
        label = "\(metadata.databaseType.isEmpty ? (path as NSString).lastPathComponent : metadata.databaseType) built \(metadata.buildDay)"
        self.layout = metadata.databaseType.lowercased().contains("ipinfo") ? .ipinfo : .maxmind
        self.paths = FieldPaths(layout: layout)
        self.kind = Self.detectKind(type: metadata.databaseType) ?? Self.probeKind(db: db, paths: paths)

        if let expecting, !Self.satisfies(kind, expecting) {
            throw IPDatabaseError(.wrongType, "IP database \(name) is a \(kind.rawValue) database (type \"\(metadata.databaseType)\"), not a \(expecting.rawValue) database")
        }
    }

    deinit {
        MMDB_close(db)
        db.deallocate()
    }

    /// "GeoLite2-City built 2018-07-03".
    /// (Made once: every screening's coverage notes name the database.)
    public let label: String

    /// Looks up one address. Returns nil when the database has no entry for it. Throws for an
    /// unparseable address (no DNS lookup is made) and for an IPv6 address in an IPv4-only file.
    public func lookup(_ address: String) throws(IPDatabaseError) -> IPLookup? {
        // Parse with inet_pton (numeric only, no DNS, and none of getaddrinfo's inet_aton forms
        // such as "203.0.113") and look up the socket address: getaddrinfo would dominate the cost.
        var storage = sockaddr_storage()
        var family = Self.parse(address, into: &storage)
        if family == nil {
            let trimmed = address.trimmingCharacters(in: .whitespaces)
            if trimmed != address { family = Self.parse(trimmed, into: &storage) }
        }
        guard let family else { throw IPDatabaseError(.badAddress, "\"\(address)\" is not an IP address") }
        var mmdbError: Int32 = 0
        var result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { MMDB_lookup_sockaddr(db, $0, &mmdbError) }
        }
        guard mmdbError == MMDB_SUCCESS else {
            throw IPDatabaseError(.lookupFailed, "\(label): \(String(cString: MMDB_strerror(mmdbError)))")
        }
        guard result.found_entry else { return nil }

        let isIPv4InIPv6 = metadata.ipVersion == 6 && family == AF_INET
        var record = IPLookup(prefixLength: Int(result.netmask) - (isIPv4InIPv6 ? 96 : 0))
        return withUnsafeMutablePointer(to: &result.entry) { entry -> IPLookup in
            if kind.hasLocation || kind == .unsupported {
                record.country = string(entry, paths.country)
                if kind == .city {
                    record.region = string(entry, paths.region)
                    record.city = string(entry, paths.city)
                    record.latitude = double(entry, paths.latitude)
                    record.longitude = double(entry, paths.longitude)
                    record.timeZone = string(entry, paths.timeZone)
                }
            }
            if kind.hasASN {
                switch layout {
                case .maxmind: record.asn = integer(entry, paths.asn)
                case .ipinfo: record.asn = string(entry, paths.asn).flatMap(Self.parseASN)
                }
                record.asOrganization = string(entry, paths.asOrganization)
            }
            if kind == .anonymousIP {
                for (path, cls) in paths.anonymizerFlags where boolean(entry, path) == true {
                    record.networkClasses.insert(cls)
                }
            }
            return record
        }
    }

    /// Fills `storage` with a sockaddr_in or sockaddr_in6; returns the family, or nil when `text` is not numeric.
    private static func parse(_ text: String, into storage: inout sockaddr_storage) -> Int32? {
        let isIPv6 = text.utf8.contains(UInt8(ascii: ":"))
        return text.withCString { cs -> Int32? in
            withUnsafeMutablePointer(to: &storage) { sp -> Int32? in
                if isIPv6 {
                    return sp.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p -> Int32? in
                        p.pointee.sin6_family = sa_family_t(AF_INET6)
                        return inet_pton(AF_INET6, cs, &p.pointee.sin6_addr) == 1 ? AF_INET6 : nil
                    }
                }
                return sp.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p -> Int32? in
                    p.pointee.sin_family = sa_family_t(AF_INET)
                    return inet_pton(AF_INET, cs, &p.pointee.sin_addr) == 1 ? AF_INET : nil
                }
            }
        }
    }

    /// "AS15169" or "15169" → 15169.
    static func parseASN(_ text: String) -> Int? {
        let digits = text.uppercased().hasPrefix("AS") ? text.dropFirst(2) : Substring(text)
        return Int(digits)
    }

    // MARK: kind detection

    static func detectKind(type: String) -> IPDatabaseKind? {
        let t = type.lowercased()
        if t.contains("anonymous-ip") || t.contains("anonymous_ip") { return .anonymousIP }
        if t.contains("city") { return .city }
        let asn = t.contains("asn")
        let country = t.contains("country")
        if asn && country { return .countryASN }
        if asn { return .asn }
        if country { return .country }
        if t.contains("ipinfo") && t.contains("lite") { return .countryASN }
        return nil
    }

    static func satisfies(_ kind: IPDatabaseKind, _ expected: IPDatabaseKind) -> Bool {
        switch expected {
        case .city: return kind == .city
        case .country: return kind.hasLocation
        case .asn: return kind.hasASN
        case .countryASN: return kind == .countryASN
        case .anonymousIP: return kind == .anonymousIP
        case .unsupported: return true
        }
    }

    /// For a `database_type` Vetter does not know: look up a few well-known public addresses and
    /// see which keys their records carry.
    private static func probeKind(db: UnsafeMutablePointer<MMDB_s>, paths: FieldPaths) -> IPDatabaseKind {
        var sawLocation = false, sawCity = false, sawASN = false, sawAnonymizer = false
        let probes = ["8.8.8.8", "1.1.1.1", "9.9.9.9", "193.0.6.139", "203.0.113.1", "2001:4860:4860::8888", "2001:db8::1"]
        for ip in probes {
            var gai: Int32 = 0, err: Int32 = 0
            var result = MMDB_lookup_string(db, ip, &gai, &err)
            guard gai == 0, err == MMDB_SUCCESS, result.found_entry else { continue }
            withUnsafeMutablePointer(to: &result.entry) { entry in
                if has(entry, paths.country) { sawLocation = true }
                if has(entry, paths.latitude) || has(entry, paths.city) { sawCity = true }
                if has(entry, paths.asn) { sawASN = true }
                if paths.anonymizerFlags.contains(where: { has(entry, $0.0) }) { sawAnonymizer = true }
            }
        }
        if sawCity { return .city }
        if sawLocation && sawASN { return .countryASN }
        if sawLocation { return .country }
        if sawASN { return .asn }
        if sawAnonymizer { return .anonymousIP }
        return .unsupported
    }
}

// MARK: - Field access

/// Lookup paths as NULL-terminated C string arrays, allocated once per database (lookups are hot).
final class CPath: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UnsafePointer<CChar>?>
    let count: Int

    init(_ components: [String]) {
        count = components.count
        pointer = .allocate(capacity: components.count + 1)
        for (i, c) in components.enumerated() { pointer[i] = UnsafePointer(strdup(c)) }
        pointer[components.count] = nil
    }

    deinit {
        for i in 0..<count { free(UnsafeMutablePointer(mutating: pointer[i])) }
        pointer.deallocate()
    }
}

struct FieldPaths: @unchecked Sendable {
    let country, region, city, latitude, longitude, timeZone, asn, asOrganization: CPath
    let anonymizerFlags: [(CPath, String)]

    init(layout: IPDatabaseLayout) {
        switch layout {
        case .maxmind:
            country = CPath(["country", "iso_code"])
            asn = CPath(["autonomous_system_number"])
            asOrganization = CPath(["autonomous_system_organization"])
        case .ipinfo:
            country = CPath(["country_code"])
            asn = CPath(["asn"])
            asOrganization = CPath(["as_name"])
        }
        region = CPath(["subdivisions", "0", "iso_code"])
        city = CPath(["city", "names", "en"])
        latitude = CPath(["location", "latitude"])
        longitude = CPath(["location", "longitude"])
        timeZone = CPath(["location", "time_zone"])
        anonymizerFlags = [
            (CPath(["is_anonymous_vpn"]), "vpn"),
            (CPath(["is_hosting_provider"]), "hosting"),
            (CPath(["is_tor_exit_node"]), "tor"),
            (CPath(["is_public_proxy"]), "proxy"),
            (CPath(["is_residential_proxy"]), "residential-proxy"),
        ]
    }
}

private func value(_ entry: UnsafeMutablePointer<MMDB_entry_s>, _ path: CPath) -> MMDB_entry_data_s? {
    var data = MMDB_entry_data_s()
    // MMDB_get_value is C-variadic and not callable from Swift; MMDB_aget_value takes the array.
    let status = MMDB_aget_value(entry, &data, path.pointer)
    guard status == MMDB_SUCCESS, data.has_data else { return nil }
    return data
}

private func has(_ entry: UnsafeMutablePointer<MMDB_entry_s>, _ path: CPath) -> Bool {
    value(entry, path) != nil
}

private func string(_ entry: UnsafeMutablePointer<MMDB_entry_s>, _ path: CPath) -> String? {
    guard let d = value(entry, path), d.type == UInt32(MMDB_DATA_TYPE_UTF8_STRING), let p = d.utf8_string else { return nil }
    // utf8_string points into the mapped file and is NOT NUL-terminated: use data_size.
    let text = p.withMemoryRebound(to: UInt8.self, capacity: Int(d.data_size)) {
        String(decoding: UnsafeBufferPointer(start: $0, count: Int(d.data_size)), as: UTF8.self)
    }
    return text.isEmpty ? nil : text
}

private func double(_ entry: UnsafeMutablePointer<MMDB_entry_s>, _ path: CPath) -> Double? {
    guard let d = value(entry, path) else { return nil }
    switch Int32(d.type) {
    case MMDB_DATA_TYPE_DOUBLE: return d.double_value
    case MMDB_DATA_TYPE_FLOAT: return Double(d.float_value)
    default: return nil
    }
}

private func integer(_ entry: UnsafeMutablePointer<MMDB_entry_s>, _ path: CPath) -> Int? {
    guard let d = value(entry, path) else { return nil }
    switch Int32(d.type) {
    case MMDB_DATA_TYPE_UINT16: return Int(d.uint16)
    case MMDB_DATA_TYPE_UINT32: return Int(d.uint32)
    case MMDB_DATA_TYPE_INT32: return Int(d.int32)
    case MMDB_DATA_TYPE_UINT64: return Int(exactly: d.uint64)
    default: return nil
    }
}

private func boolean(_ entry: UnsafeMutablePointer<MMDB_entry_s>, _ path: CPath) -> Bool? {
    guard let d = value(entry, path), Int32(d.type) == MMDB_DATA_TYPE_BOOLEAN else { return nil }
    return d.boolean
}
