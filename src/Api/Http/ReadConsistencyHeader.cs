using FluentValidation;
using FluentValidation.Results;
using ImageCatalog.Application.Common;
using ImageCatalog.Domain;

namespace ImageCatalog.Api.Http;

/// <summary>
/// The request header that lets a caller read its own writes where queries are served by read replicas
/// (docs/scaling.md): <c>STRONG</c> sends the read to the primary.
/// </summary>
public static class ReadConsistencyHeader
{
    public const string Name = "X-Read-Consistency";

    public const string Description =
        "EVENTUAL (the default) may be answered by a read replica that trails the primary by its replication delay; "
        + "STRONG reads the primary and so sees every write already acknowledged.";

    public static ReadConsistency Read(HttpRequest request)
    {
        var values = request.Headers[Name];
        if (values.Count == 0)
        {
            return ReadConsistency.Eventual;
        }

        if (values.Count > 1)
        {
            throw new ValidationException([new ValidationFailure(Name, "must be given once")]);
        }

        return WireNames<ReadConsistency>.TryParse(values[0]?.Trim(), out var consistency)
            ? consistency
            : throw new ValidationException(
                [new ValidationFailure(Name, $"must be one of {string.Join(", ", WireNames<ReadConsistency>.All)}")]);
    }
}
