import Foundation

/// An error as a person reads it.
enum ErrorText {
    /// ocoptrace's own errors describe themselves; Foundation's file errors print as
    /// `Error Domain=NSCocoaErrorDomain Code=516 …` and say what happened only in their localized
    /// description, with the path in their user info.
    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        guard text.hasPrefix("Error Domain=") else { return text }
        let error = error as NSError
        let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        return error.localizedDescription + (path.map { " (\($0))" } ?? "")
    }
}
