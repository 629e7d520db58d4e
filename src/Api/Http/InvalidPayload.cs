using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ImageCatalog.Api.Http;

/// <summary>
/// Describes a body that could not be bound (not JSON, wrong types, unknown enum values) by the JSON paths
/// at fault, without the framework's messages, which name .NET types.
/// </summary>
public static class InvalidPayload
{
    public static string Describe(ModelStateDictionary modelState)
    {
        var paths = modelState
            .Where(entry => entry.Value is { Errors.Count: > 0 })
            .Select(entry => entry.Key)
            .Where(key => key.StartsWith('$'))
            .Select(key => key.Length > 2 ? key[2..] : key)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return paths switch
        {
            [] => "Invalid request payload: a JSON object body is required.",
            ["$"] => "Invalid request payload: the body is not valid JSON.",
            _ => $"Invalid request payload: {string.Join(", ", paths.Select(path => $"'{path}'"))} is malformed or has the wrong type or value.",
        };
    }
}
