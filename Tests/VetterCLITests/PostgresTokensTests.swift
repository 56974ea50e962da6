import Foundation
import Testing
import VetterStore
import VetterStorePostgres

/// `vetter tokens create|list|revoke --store postgres://…`, run as the built binary. Runs when
/// `VETTER_TEST_POSTGRES_URL` names a server, in its own database.
@Suite("vetter tokens: PostgreSQL store", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["VETTER_TEST_POSTGRES_URL"] != nil, "VETTER_TEST_POSTGRES_URL not set"))
struct PostgresTokensTests {
    @Test("create prints the token once, list shows ids and roles only, revoke marks it; the server's store finds it by secret")
    func tokens() async throws {
        let url = try await PostgresIdentityStore.testDatabase(url: ProcessInfo.processInfo.environment["VETTER_TEST_POSTGRES_URL"] ?? "",
                                                                name: "vetter_test_cli")
        try await PostgresIdentityStore.dropEverything(url: url)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vetter-cli-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = folder.appendingPathComponent("org.key").path
        let material = String(repeating: "5e", count: 32)
        try material.write(toFile: keyFile, atomically: true, encoding: .utf8)
        let cli = CommandLineTests()
        let store = ["--store", url, "--key-file", keyFile]

        let created = try cli.run(["tokens", "create", "--role", "security", "--label", "soc"] + store)
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("vt_") && token.count == 67)
        let id = try #require(created.stderr.split(separator: " ").first { $0.hasPrefix("tok_") }.map { String($0.prefix { $0 != ";" }) })

        let listed = try cli.run(["tokens", "list"] + store)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains(id) && listed.stdout.contains("security") && listed.stdout.contains("soc"))
        #expect(!listed.stdout.contains(token) && !listed.stdout.contains("revoked"))

        // The same database, opened as `vetter serve` does, finds the token by its secret.
        let opened = try await PostgresIdentityStore(url: url, key: try IdentityKey(material: material))
        defer { opened.close() }
        #expect(try await opened.token(secret: token)?.id == id)

        let revoked = try cli.run(["tokens", "revoke", id] + store)
        #expect(revoked.status == 0 && revoked.stdout.contains("revoked \(id)"))
        #expect(try cli.run(["tokens", "list"] + store).stdout.contains("revoked"))
        #expect(try await opened.token(secret: token) == nil)
        #expect(try cli.run(["tokens", "revoke", id] + store).status != 0)
        #expect(try await opened.auditLog(limit: 10).map(\.action) == ["token.revoke", "token.create"])

        // Without the key, a PostgreSQL store is refused with a message (exit 78).
        let noKey = try cli.run(["tokens", "list", "--store", url], environment: ["VETTER_HMAC_KEY": ""])
        #expect(noKey.status == 78 && noKey.stderr.contains("--key-file"))
    }
}
