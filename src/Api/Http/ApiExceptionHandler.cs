using System.Text;
using System.Text.Json;
using FluentValidation;
using ImageCatalog.Application.Common.Exceptions;
using Microsoft.AspNetCore.Diagnostics;

namespace ImageCatalog.Api.Http;

/// <summary>
/// The one place where exceptions become responses, each with the contract's error body. Anything not
/// known here is a 500 whose body says nothing about the cause; the cause goes to the log.
/// </summary>
public sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ValidationException validation:
                await ErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, CodeOf(validation), Describe(validation));
                return true;
            case NotFoundException notFound:
                await ErrorResponse.WriteAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, notFound.Message);
                return true;
            case ForbiddenException forbidden:
                await ErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.NotAuthorized, forbidden.Message);
                return true;
            case ImageAlreadyRegisteredException conflict:
                await ErrorResponse.WriteAsync(context, StatusCodes.Status409Conflict, ErrorCodes.AlreadyRegistered, conflict.Message);
                return true;
            case IdempotencyKeyReusedException reused:
                await ErrorResponse.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused, reused.Message);
                return true;
            case DecoderFallbackException:
                // A body that is not text in the charset its Content-Type declares (charset=utf-16 on odd bytes).
                await ErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidPayload, "The request body is not valid text in its declared charset.");
                return true;
            case BadHttpRequestException badRequest:
                var (code, message) = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? ErrorResponse.ForStatus(StatusCodes.Status413PayloadTooLarge)
                    : (ErrorCodes.InvalidPayload, "The request could not be read.");
                await ErrorResponse.WriteAsync(context, badRequest.StatusCode, code, message);
                return true;
            case Exception when DatabaseUnavailable.Is(exception):
                logger.LogWarning(exception, "Database unavailable for {Method} {Path}", context.Request.Method, context.Request.Path);
                context.Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds;
                var (unavailableCode, unavailableMessage) = ErrorResponse.ForStatus(StatusCodes.Status503ServiceUnavailable);
                await ErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, unavailableCode, unavailableMessage);
                return true;
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                // The client is gone; nobody reads an answer.
                return true;
            default:
                logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
                var (internalCode, internalMessage) = ErrorResponse.ForStatus(StatusCodes.Status500InternalServerError);
                await ErrorResponse.WriteAsync(context, StatusCodes.Status500InternalServerError, internalCode, internalMessage);
                return true;
        }
    }

    /// <summary>
    /// "Invalid parameter 'limit': must be between 1 and 1000." for each failure, in order. Validators name C#
    /// properties (WorkspaceId, Tags[1]); the client knows them by their wire names (workspace_id, tags[1]).
    /// </summary>
    public static string Describe(ValidationException exception) =>
        string.Join(
            " ",
            exception.Errors
                .Select(failure => $"Invalid parameter '{WireName(failure.PropertyName)}': {failure.ErrorMessage}.")
                .Distinct(StringComparer.Ordinal));

    /// <summary>A rule with a code of its own (an unknown sort key is ModelArts.6303) sets it; the rest are invalid arguments.</summary>
    private static string CodeOf(ValidationException exception) =>
        exception.Errors
            .Select(failure => failure.ErrorCode)
            .FirstOrDefault(code => code?.StartsWith("ModelArts.", StringComparison.Ordinal) == true)
        ?? ErrorCodes.InvalidArgument;

    /// <summary>A header (Idempotency-Key) keeps its own spelling; C# property names become snake_case.</summary>
    private static string WireName(string propertyName) =>
        propertyName.Contains('-', StringComparison.Ordinal) ? propertyName : JsonNamingPolicy.SnakeCaseLower.ConvertName(propertyName);
}
