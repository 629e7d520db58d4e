using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageCatalog.Api.Http;

/// <summary>The contract's error body: <c>{ "error_code", "error_msg", "request_id" }</c>.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("error_msg")] string ErrorMsg,
    [property: JsonPropertyName("request_id")] string RequestId);

public static class ErrorResponse
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes the error body with <c>application/json</c>, which the SDKs need to parse it.</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsJsonAsync(
            new ErrorBody(code, message, context.TraceIdentifier), Json, "application/json; charset=utf-8", context.RequestAborted);
    }

    public static ErrorBody Body(HttpContext context, string code, string message) => new(code, message, context.TraceIdentifier);

    /// <summary>The body for a status that the framework answered without one (no route, wrong method, ...).</summary>
    public static (string Code, string Message) ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => (ErrorCodes.NotFound, "The requested resource does not exist."),
        StatusCodes.Status405MethodNotAllowed => (ErrorCodes.MethodNotAllowed, "The method is not allowed on this resource."),
        StatusCodes.Status413PayloadTooLarge => (ErrorCodes.PayloadTooLarge, "The request body is too large."),
        StatusCodes.Status415UnsupportedMediaType =>
            (ErrorCodes.UnsupportedMediaType, "The request body must be JSON (Content-Type: application/json)."),
        StatusCodes.Status429TooManyRequests => (ErrorCodes.Busy, "The system is busy. Retry later."),
        StatusCodes.Status503ServiceUnavailable => (ErrorCodes.Unavailable, "The service is temporarily unavailable. Retry later."),
        >= 500 => (ErrorCodes.Internal, "The service could not complete the request."),
        _ => (ErrorCodes.InvalidArgument, "The request is invalid."),
    };
}
