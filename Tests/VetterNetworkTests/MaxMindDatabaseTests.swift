import Foundation
import Testing
@testable import VetterNetwork

@Suite("MaxMind DB reader")
struct MaxMindDatabaseTests {
    @Test func cityLookupsIPv4AndIPv6() throws {
        let dir = try Fixtures.directory()
        let db = try MaxMindDatabase(path: Fixtures.write(Fixtures.city(), "GeoLite2-City.mmdb", in: dir))
        #expect(db.kind == .city)
        #expect(db.layout == .maxmind)
        #expect(db.metadata.databaseType == "GeoLite2-City")
        #expect(db.metadata.buildDay == "2026-05-28")
        #expect(db.metadata.ipVersion == 6)
        #expect(db.label == "GeoLite2-City built 2026-05-28")

        let austin = try #require(try db.lookup("203.0.113.7"))
        #expect(austin.country == "US")
        #expect(austin.region == "TX")
        #expect(austin.city == "Austin")
        #expect(austin.timeZone == "America/Chicago")
        #expect(austin.latitude == 30.27)
        #expect(austin.longitude == -97.74)
        #expect(austin.prefixLength == 24)  // IPv4 netmask, not 96 + 24
        #expect(austin.asn == nil)

        let kp = try #require(try db.lookup("175.45.179.254"))
        #expect(kp.country == "KP")
        #expect(kp.prefixLength == 22)

        let berlin = try #require(try db.lookup("2001:db8:1::5"))
        #expect(berlin.country == "DE")
        #expect(berlin.timeZone == "Europe/Berlin")
        #expect(berlin.prefixLength == 32)

        #expect(try db.lookup("8.8.8.8") == nil)
        #expect(try db.lookup("2001:db9::1") == nil)
    }

    @Test(arguments: ["not-an-ip", "example.com", "", "203.0.113", "1.2.3.4.5", "203.0.113.7; rm", "::g"])
    func badAddressesThrow(_ text: String) throws {
        let dir = try Fixtures.directory()
        let db = try MaxMindDatabase(path: Fixtures.write(Fixtures.city(), "c.mmdb", in: dir))
        let error = #expect(throws: IPDatabaseError.self) { try db.lookup(text) }
        #expect(error?.kind == .badAddress)
    }

    @Test func ipv6InIPv4DatabaseIsAnError() throws {
        let dir = try Fixtures.directory()
        let db = try MaxMindDatabase(path: Fixtures.write(Fixtures.city(ipVersion: 4), "v4.mmdb", in: dir))
        #expect(db.metadata.ipVersion == 4)
        #expect(try db.lookup("203.0.113.7")?.country == "US")
        let error = #expect(throws: IPDatabaseError.self) { try db.lookup("2001:db8::1") }
        #expect(error?.kind == .lookupFailed)
    }

    @Test func asnDatabase() throws {
        let dir = try Fixtures.directory()
        let db = try MaxMindDatabase(path: Fixtures.write(Fixtures.asn(), "GeoLite2-ASN.mmdb", in: dir))
        #expect(db.kind == .asn)
        let r = try #require(try db.lookup("175.45.176.1"))
        #expect(r.asn == 131279)
        #expect(r.asOrganization == "Ryugyong-dong")
        #expect(r.country == nil)
    }

    @Test(arguments: [
        ("GeoLite2-City", IPDatabaseKind.city), ("GeoIP2-City", .city), ("DBIP-City-Lite", .city),
        ("GeoLite2-Country", .country), ("GeoIP2-Country", .country), ("DBIP-Country-Lite", .country),
        ("GeoLite2-ASN", .asn), ("DBIP-ASN-Lite (compat=GeoLite2-ASN)", .asn), ("ipinfo asn.mmdb", .asn),
        ("ipinfo lite.mmdb", .countryASN), ("ipinfo country_asn.mmdb", .countryASN),
        ("GeoIP2-Anonymous-IP", .anonymousIP),
    ])
    func kindFromDatabaseType(_ type: String, _ kind: IPDatabaseKind) {
        #expect(MaxMindDatabase.detectKind(type: type) == kind)
    }

    @Test func dbipCountryLiteLayout() throws {
        let dir = try Fixtures.directory()
        var w = MMDBWriter(databaseType: "DBIP-Country-Lite")
        w.insert("198.51.100.0/24", Layouts.country("LA"))
        let db = try MaxMindDatabase(path: Fixtures.write(w, "dbip-country-lite.mmdb", in: dir))
        #expect(db.kind == .country)
        let r = try #require(try db.lookup("198.51.100.1"))
        #expect(r.country == "LA")
        #expect(r.timeZone == nil)
    }

    @Test func ipinfoLiteLayout() throws {
        let dir = try Fixtures.directory()
        var w = MMDBWriter(databaseType: "ipinfo lite.mmdb")
        w.insert("198.51.100.0/24", Layouts.ipinfoLite("CN", asn: "AS4134", name: "Chinanet"))
        w.insert("2001:db8::/32", Layouts.ipinfoLite("JP", asn: "AS2497", name: "IIJ"))
        let db = try MaxMindDatabase(path: Fixtures.write(w, "ipinfo_lite.mmdb", in: dir))
        #expect(db.kind == .countryASN)
        #expect(db.layout == .ipinfo)
        let r = try #require(try db.lookup("198.51.100.1"))
        #expect(r.country == "CN")
        #expect(r.asn == 4134)
        #expect(r.asOrganization == "Chinanet")
        #expect(try db.lookup("2001:db8::7")?.asn == 2497)
    }

    @Test func anonymousIPFlags() throws {
        let dir = try Fixtures.directory()
        var w = MMDBWriter(databaseType: "GeoIP2-Anonymous-IP")
        w.insert("198.51.100.0/25", Layouts.anonymous(vpn: true))
        w.insert("198.51.100.128/25", Layouts.anonymous(hosting: true, tor: true))
        let db = try MaxMindDatabase(path: Fixtures.write(w, "anon.mmdb", in: dir))
        #expect(db.kind == .anonymousIP)
        #expect(try db.lookup("198.51.100.1")?.networkClasses == ["vpn"])
        #expect(try db.lookup("198.51.100.200")?.networkClasses == ["hosting", "tor"])
    }

    @Test func unknownTypeIsProbedByKeys() throws {
        let dir = try Fixtures.directory()
        var w = MMDBWriter(databaseType: "Acme-Geo")
        w.insert("203.0.113.0/24", Layouts.country("US"))
        let db = try MaxMindDatabase(path: Fixtures.write(w, "acme.mmdb", in: dir))
        #expect(db.kind == .country)

        var other = MMDBWriter(databaseType: "Acme-Domains")
        other.insert("203.0.113.0/24", .map([("domain", .string("example.net"))]))
        let unsupported = try MaxMindDatabase(path: Fixtures.write(other, "domains.mmdb", in: dir))
        #expect(unsupported.kind == .unsupported)
    }

    @Test func wrongTypeIsAClearError() throws {
        let dir = try Fixtures.directory()
        let path = try Fixtures.write(Fixtures.asn(), "GeoLite2-ASN.mmdb", in: dir)
        let error = #expect(throws: IPDatabaseError.self) { try MaxMindDatabase(path: path, expecting: .city) }
        #expect(error?.kind == .wrongType)
        #expect(error?.message.contains("is a asn database") == true)
        #expect(try MaxMindDatabase(path: path, expecting: .asn).kind == .asn)
    }

    @Test func missingAndCorruptFiles() throws {
        let dir = try Fixtures.directory()
        let missing = #expect(throws: IPDatabaseError.self) { try MaxMindDatabase(path: dir.appendingPathComponent("nope.mmdb").path) }
        #expect(missing?.kind == .missingFile)

        let garbage = dir.appendingPathComponent("garbage.mmdb")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: garbage)
        let corrupt = #expect(throws: IPDatabaseError.self) { try MaxMindDatabase(path: garbage.path) }
        #expect(corrupt?.kind == .unreadable)

        // A real database cut short loses its metadata section.
        let full = Fixtures.city().build()
        let truncated = dir.appendingPathComponent("truncated.mmdb")
        try full.prefix(full.count - 40).write(to: truncated)
        let cut = #expect(throws: IPDatabaseError.self) { try MaxMindDatabase(path: truncated.path) }
        #expect(cut?.kind == .unreadable)

        let empty = dir.appendingPathComponent("empty.mmdb")
        try Data().write(to: empty)
        #expect(throws: IPDatabaseError.self) { try MaxMindDatabase(path: empty.path) }
    }

    @Test func ipAddressParsing() {
        #expect(IPAddress("203.0.113.7")?.bytes == [203, 0, 113, 7])
        #expect(IPAddress("::ffff:203.0.113.7")?.isIPv4 == true)
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8::1")
        #expect(IPAddress("example.com") == nil)
        #expect(IPAddress("300.1.1.1") == nil)
        #expect(IPNetwork("175.45.176.0/22")?.contains(IPAddress("175.45.179.255")!) == true)
        #expect(IPNetwork("175.45.176.0/22")?.contains(IPAddress("175.45.180.0")!) == false)
        #expect(IPNetwork("2001:db8::/32")?.contains(IPAddress("2001:db8:ffff::1")!) == true)
        #expect(IPNetwork("2001:db8::/32")?.contains(IPAddress("203.0.113.1")!) == false)
        #expect(IPNetwork("10.0.0.0/33") == nil)
    }
}
