using System.Globalization;
using System.Text.Json.Nodes;
using ImageCatalog.Domain;
using ImageCatalog.Domain.Images;
using Microsoft.OpenApi;

namespace ImageCatalog.Api.OpenApi;

/// <summary>The served OpenAPI document (<c>/openapi/v1.json</c>): the contract's routes, parameters and wire spellings.</summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public const string DocumentPath = "/openapi/" + DocumentName + ".json";

    /// <summary>The interactive reference page (Scalar), served with its scripts, so it works offline.</summary>
    public const string ReferencePath = "/scalar";

    /// <summary>The query parameters of both list operations, as Http.ListParameters reads them.</summary>
    public static readonly QueryParameterAttribute[] ListParameters =
    [
        new("name", typeof(string), "Image name: 1-512 chars of a-z 0-9 . _ -; a substring when name_fuzzy_match is true."),
        new("name_fuzzy_match", typeof(bool), "true: name contains the value, taken literally; false: name equals it.") { Default = "true" },
        new("namespace", typeof(string), "SWR organisation: 1-64 chars of A-Z a-z 0-9 . _ -, first a lowercase letter."),
        new("type", typeof(ImageType), "BUILD_IN or DEDICATED; both when left out."),
        new("workspace_id", typeof(string), "0, or 32 chars of 0-9 a-z.") { Default = "0" },
        new("limit", typeof(int), "Rows per page, 1-1000.") { Default = "200" },
        new("offset", typeof(int), "Row offset into the ordered results, 0-2147483647.") { Default = "0" },
    ];

    public static IServiceCollection AddContractOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ImageCatalog",
                    Version = "v1",
                    Description = "The ModelArts image-management API: image groups, images. Times are UTC milliseconds; "
                        + "errors are { error_code, error_msg, request_id }.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var declared = metadata.OfType<ListQueryParametersAttribute>().Any()
                    ? ListParameters.Concat(metadata.OfType<QueryParameterAttribute>())
                    : metadata.OfType<QueryParameterAttribute>();
                foreach (var parameter in declared)
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = parameter.Name,
                        In = parameter.InHeader ? ParameterLocation.Header : ParameterLocation.Query,
                        Required = false,
                        Description = parameter.Description,
                        Schema = SchemaOf(parameter.Type, parameter.Default),
                    });
                }

                return Task.CompletedTask;
            });
            // Enums are written by WireEnumConverterFactory, which the schema generator cannot see through.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
                if (type.IsEnum)
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Enum = [.. WireSpellings(type).Select(name => (JsonNode)JsonValue.Create(name))];
                }

                // Null members are left out of responses, so a nullable member is never required.
                foreach (var property in context.JsonTypeInfo.Properties.Where(property => property.IsGetNullable))
                {
                    schema.Required?.Remove(property.Name);
                }

                return Task.CompletedTask;
            });
        });

    private static OpenApiSchema SchemaOf(Type type, string? defaultValue)
    {
        var schema = new OpenApiSchema();
        if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. WireSpellings(type).Select(name => (JsonNode)JsonValue.Create(name))];
        }
        else if (type == typeof(bool))
        {
            schema.Type = JsonSchemaType.Boolean;
        }
        else if (type == typeof(int))
        {
            schema.Type = JsonSchemaType.Integer;
            schema.Format = "int32";
        }
        else
        {
            schema.Type = JsonSchemaType.String;
        }

        if (defaultValue is not null)
        {
            schema.Default = type == typeof(bool) ? JsonValue.Create(bool.Parse(defaultValue))
                : type == typeof(int) ? JsonValue.Create(int.Parse(defaultValue, CultureInfo.InvariantCulture))
                : JsonValue.Create(defaultValue);
        }

        return schema;
    }

    private static IEnumerable<string> WireSpellings(Type enumType) =>
        (IReadOnlyList<string>)typeof(WireNames<>).MakeGenericType(enumType).GetProperty(nameof(WireNames<DayOfWeek>.All))!.GetValue(null)!;
}
