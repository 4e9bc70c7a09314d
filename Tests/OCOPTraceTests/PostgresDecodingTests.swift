import Foundation
@testable import OCOPTrace
import Testing
import TestSupport

@Suite("PostgreSQL rows decoded as records")
struct PostgresDecodingTests {
    @Test("a NUMERIC read as an integer is that integer, and a fraction is an error, never 0",
          .enabled(if: RegistryEngine.available.contains(.postgres), "OCOPTRACE_TEST_POSTGRES names no PostgreSQL server (in CI it fails instead)"))
    func nonIntegerNumericIsAnError() async throws {
        let folder = TemporaryFolder("ocoptrace-numeric")
        let registry = try await TestRegistry.make(.postgres, in: folder)
        let store = try #require(registry.store as? PostgresStore)
        #expect(try await store.rows("read a whole NUMERIC", "SELECT 7::numeric", as: Int.self) == [7])
        #expect(try await store.rows("read a sum", "SELECT SUM(n) FROM (VALUES (2), (3)) AS v(n)", as: Int.self) == [5])
        await #expect(throws: DecodingError.self) {
            _ = try await store.rows("read a fraction", "SELECT 2.5::numeric", as: Int.self)
        }
        await #expect(throws: DecodingError.self) {
            _ = try await store.rows("read a huge NUMERIC", "SELECT 99999999999999999999::numeric", as: Int.self)
        }
        await store.close()
    }
}
