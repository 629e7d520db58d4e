using FluentValidation;
using FluentValidation.Results;

namespace ImageCatalog.Api.Http;

/// <summary>Ids in a route are UUIDs in their usual form; anything else is a 400 naming the parameter, not a 404.</summary>
public static class RouteIds
{
    public static Guid Parse(string value, string parameter) =>
        Guid.TryParseExact(value, "D", out var id)
            ? id
            : throw new ValidationException([new ValidationFailure(parameter, "must be a UUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301")]);
}
