// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ocoptrace",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ocoptrace", targets: ["ocoptrace"]),
        .executable(name: "ocoptrace-bench", targets: ["ocoptrace-bench"]),
        .library(name: "OCOPTrace", targets: ["OCOPTrace"]),
        .library(name: "OCOPTraceServer", targets: ["OCOPTraceServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Generators and a seedable random source for the parsers' fuzz tests (tests only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // libqrencode, wrapped for the stamp renderer (Rendering/QRCode.swift owns every pointer).
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        // libpng, for stamp PNGs.
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        // libzbar, to read QR codes in photos of stamps.
        .systemLibrary(
            name: "CZbar",
            pkgConfig: "zbar",
            providers: [.apt(["libzbar-dev"])]
        ),
        // TurboJPEG, to read photos.
        .systemLibrary(
            name: "CTurboJPEG",
            pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"])]
        ),
        // cairo, for printable label sheets (PDF with vector QR codes).
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        // libxlsxwriter, for the seller centres' bulk-upload workbooks.
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        // expat, to read the sheets of Excel workbooks as a stream (Catalog/XMLStream.swift owns every pointer).
        .systemLibrary(
            name: "CExpat",
            pkgConfig: "expat",
            providers: [.apt(["libexpat1-dev"])]
        ),
        // The one piece of C: libpng reports errors by longjmp, which only C can catch.
        .target(
            name: "StampRaster",
            dependencies: ["CPNG"]
        ),
        .target(
            name: "OCOPTrace",
            dependencies: [
                "CQRencode",
                "CPNG",
                "CZbar",
                "CTurboJPEG",
                "CCairo",
                "CXlsxWriter",
                "CExpat",
                "StampRaster",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Each marketplace's listing rules, as data with their sources (see Export/).
            resources: [.copy("Export/Rules")]
        ),
        // The resolver and verification page (`ocoptrace serve`): a library of its own so that
        // SwiftNIO and Hummingbird stay out of the core library, which the batch commands use alone.
        .target(
            name: "OCOPTraceServer",
            dependencies: [
                "OCOPTrace",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ocoptrace",
            dependencies: [
                "OCOPTrace",
                "OCOPTraceServer",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "ocoptrace-bench",
            dependencies: [
                "OCOPTrace",
                "OCOPTraceServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // A scratch database on a PostgreSQL server, for benchmarks on both engines.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "OCOPTrace",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "OCOPTraceTests",
            dependencies: [
                "OCOPTrace",
                "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport"]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "OCOPTrace",
                "OCOPTraceServer",
                "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            // Read by path, by Python's jsonschema.
            exclude: ["description-file-schema.json"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
