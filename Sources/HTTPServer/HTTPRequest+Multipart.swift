import Wire

extension MultipartFormData {
    /// A request's form parts, read strictly: the replica's uploads.
    public static func parse(_ request: HTTPRequest) throws(ParseError) -> [FormDataPart] {
        guard let contentType = request.headers["Content-Type"], let boundary = boundary(contentType: contentType) else {
            throw ParseError(description: "Content-Type is not multipart/form-data with a boundary")
        }
        return try parse(body: request.body, boundary: boundary)
    }
}
