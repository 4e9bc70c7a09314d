import HTTPTypes
import Hummingbird
import OCOPTrace

/// The headers every answer of the public server carries, errors included: CORS, since a
/// resolver's answers are for any web page to read (GS1 resolver 1.2), and no MIME sniffing.
struct SharedHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlAllowMethods] = ResolverServer.allowedMethods
        response.headers[.accessControlAllowHeaders] = "Accept, Accept-Language"
        response.headers[.accessControlExposeHeaders] = "Link, Location, Content-Type"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}

/// The headers shared by a kind of answer, each set here only.
extension Response {
    /// Never stored by a cache: a page's GET is a scan, and what a link leads to may change (a
    /// revocation, an import).
    mutating func setNoStore() {
        headers[.cacheControl] = "no-store"
    }

    /// An answer chosen by `Accept` and `Accept-Language` (a linkset or a page, and the redirect
    /// to the page), never stored.
    mutating func setNegotiated() {
        headers[.vary] = "Accept, Accept-Language"
        setNoStore()
    }

    /// One of the HTML pages: its language when negotiated, the policy that lets nothing but its
    /// own style run, never stored.
    mutating func setPage(language: Language?, pinForm: Bool = false) {
        if let language { headers[.contentLanguage] = language.rawValue }
        headers[.contentSecurityPolicy] = pinForm ? VerificationPage.pinFormPolicy : VerificationPage.contentSecurityPolicy
        setNoStore()
    }
}
