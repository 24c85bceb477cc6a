import Foundation
import MarginaliaCore

/// Reads a user's gazetteer file.
enum GazetteerFile {
    static func read(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MarginaliaError(.notFound, "gazetteer not found", location: path)
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw MarginaliaError(.io, "cannot read the gazetteer", location: path)
        }
        return Array(data)
    }
}
