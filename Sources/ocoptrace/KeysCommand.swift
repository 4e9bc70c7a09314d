import ArgumentParser
import Foundation
import OCOPTrace

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the Ed25519 keys that sign stamps.",
        discussion: """
            Example:
              ocoptrace keys generate
            """,
        subcommands: [Generate.self, List.self, Retire.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a signing key: keys/{id}.key (private, mode 0600, never printed) and keys/{id}.pub for inspectors.",
            discussion: """
                The newest active key signs new batches; older keys keep verifying what they signed.

                Example:
                  ocoptrace keys generate --keys keys
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Option(help: ArgumentHelp("The keys folder.", valueName: "folder"))
        var keys = "keys"
        @Flag(help: "Print the new key as JSON.")
        var json = false

        func run() async throws {
            let key = try await registry.with(.readWrite) { store in
                return try await KeyStore(store: store, folder: URL(fileURLWithPath: keys)).generate()
            }
            let publicFile = URL(fileURLWithPath: keys).appendingPathComponent(key.keyID + ".pub").path
            if json {
                Console.printJSON(["key_id": key.keyID, "public_key_file": publicFile])
            } else {
                print("created signing key \(key.keyID); hand \(publicFile) to inspectors")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the keys the registry knows.",
            discussion: """
                Example:
                  ocoptrace keys list --json
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Flag(help: "Print JSON Lines.")
        var json = false

        func run() async throws {
            let records = try await registry.with(.readOnly) { store in
                return try await KeyStore(store: store, folder: URL(fileURLWithPath: "keys")).records()
            }
            if json {
                records.forEach(Console.printJSON)
                return
            }
            Console.table(header: ["Key", "Created", "Status", "Public key"], rows: records.map {
                [$0.keyID, String($0.createdAt.prefix(19)), $0.retiredAt.map { "retired \($0.prefix(10))" } ?? "active", $0.publicKey]
            })
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire a key: it signs nothing new, and what it signed still verifies.",
            discussion: """
                Example:
                  ocoptrace keys retire Xq3b
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: "The key id.")
        var keyID: String

        func run() async throws {
            try await registry.with(.readWrite) { store in
                try await KeyStore(store: store, folder: URL(fileURLWithPath: "keys")).retire(keyID)
            }
            print("retired key \(keyID)")
        }
    }
}
