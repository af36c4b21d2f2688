import Foundation

public enum DiscoverCommand {
    public static func main(_ arguments: [String]) async {
        FileHandle.standardError.write(Data("discover: not yet implemented\n".utf8))
        exit(2)
    }
}
