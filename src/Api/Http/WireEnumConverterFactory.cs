using System.Text.Json;
using System.Text.Json.Serialization;
using ImageCatalog.Domain;

namespace ImageCatalog.Api.Http;

/// <summary>JSON enums in the contract's spelling (<see cref="WireNames{TEnum}"/>); strings only, case-insensitive.</summary>
public sealed class WireEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(WireEnumConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class WireEnumConverter<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && WireNames<TEnum>.TryParse(reader.GetString(), out var value)
                ? value
                : throw new JsonException($"must be one of {string.Join(", ", WireNames<TEnum>.All)}");

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(WireNames<TEnum>.Of(value));
    }
}
