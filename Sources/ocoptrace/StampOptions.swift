import ArgumentParser
import Foundation
import OCOPTrace

/// How stamps are drawn, shared by `issue`, `render` and `run`.
struct RenderingOptions: ParsableArguments {
    @Option(name: .customLong("size"), help: ArgumentHelp("Pixels per QR module.", valueName: "pixels"))
    var moduleSize = 4

    @Option(name: .customLong("ecc"), help: ArgumentHelp("QR error correction: L, M (default), Q or H.", valueName: "level"))
    var correction: QRErrorCorrection = .medium

    @Option(help: ArgumentHelp("Light modules around the symbol (scanners need 4).", valueName: "modules"))
    var quietZone = 4

    var renderOptions: RenderOptions {
        RenderOptions(moduleSize: moduleSize, correction: correction, quietZone: quietZone)
    }

    func validate() throws {
        do { try renderOptions.validate() } catch { throw ValidationError(error.description) }
    }
}

extension QRErrorCorrection: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}

/// Where stamps point and where they are written, shared by `issue` and `run`.
struct IssuingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The resolver the stamp URLs point to (default: $OCOPTRACE_RESOLVER, else \(IssueOptions.defaultResolver)).", valueName: "url"))
    var resolver: String?

    @Flag(help: "Embed an Ed25519 signature (GS1 AI 8030) in every stamp, for offline checks with the public key alone.")
    var embedSignature = false

    @Option(help: ArgumentHelp("The signing keys folder (the PIN key, pin-hmac.key, is kept there too).", valueName: "folder"))
    var keys = "keys"

    @Option(help: ArgumentHelp("Where stamps/ is written.", valueName: "folder"))
    var output = "output"

    @Flag(name: .customLong("scratch-pin"), help: "Give every stamp a scratch-off PIN (tem cào): pins.csv (mode 0600) for the label printer, only a keyed hash in the registry.")
    var scratchPIN = false

    @Flag(help: "Write only the manifest, no PNGs (for label sheets or a print shop); `render` draws them later.")
    var noPng = false

    @OptionGroup var rendering: RenderingOptions

    var issueOptions: IssueOptions {
        IssueOptions(resolver: IssueOptions.resolveResolver(resolver), embedSignature: embedSignature,
                     keysFolder: URL(fileURLWithPath: keys), outputFolder: URL(fileURLWithPath: output),
                     render: rendering.renderOptions, writePNGs: !noPng, scratchPIN: scratchPIN)
    }
}

extension TerminalProgress {
    var issueCallback: @Sendable (IssueProgress) -> Void {
        { [self] progress in showIssue(progress) }
    }
}
