using System.Text;
using System.Text.Json;
using ImageCatalog.Api;
using ImageCatalog.Api.Http;
using ImageCatalog.Application.ImageGroups.GetImageGroups;
using ImageCatalog.Application.ImageGroups.UpdateImageGroup;
using Microsoft.AspNetCore.Http;

namespace ImageCatalog.UnitTests.Api;

public sealed class JsonBodyTests
{
    private static readonly ImageGroupPage Page = new(2, 3, 2, 41,
    [
        new(Guid.Parse("0e5ad9d3-32d3-1cb1-3931-a96262236bec"), "app", "team-a", 1767225662000, 1767226949000, 10,
            "# App\n\"quoted\" <b> é ✓ \u0001", [new GroupTag("k", "v"), new GroupTag("empty", ""), new GroupTag(null, null)]),
        new(Guid.Empty, "bare", "ns", 0, long.MaxValue, int.MaxValue, null, null),
    ]);

    [Test]
    public void The_generated_serialiser_writes_what_the_configured_options_write()
    {
        var options = new JsonSerializerOptions();
        DependencyInjection.ConfigureJson(options);

        Assert.That(
            Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(Page, ResponseJson.Default.ImageGroupPage)),
            Is.EqualTo(JsonSerializer.Serialize(Page, options)));
    }

    [Test]
    public async Task The_body_goes_out_in_one_piece_with_its_length()
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await new JsonBody<ImageGroupPage>(Page, ResponseJson.Default.ImageGroupPage).ExecuteAsync(context);
        await context.Response.BodyWriter.FlushAsync();

        Assert.Multiple(() =>
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status200OK));
            Assert.That(context.Response.ContentType, Is.EqualTo("application/json; charset=utf-8"));
            Assert.That(context.Response.ContentLength, Is.EqualTo(body.Length));
            Assert.That(body.ToArray(), Is.EqualTo(JsonSerializer.SerializeToUtf8Bytes(Page, ResponseJson.Default.ImageGroupPage)));
        });
    }

    [Test]
    public void A_body_larger_than_the_first_pooled_buffer_is_written_whole()
    {
        var rows = Enumerable.Range(0, 500).Select(i => Page.Data[0] with { Name = $"app-{i}" }).ToList();
        var large = Page with { Size = rows.Count, Data = rows };
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, large, ResponseJson.Default.ImageGroupPage);
        }

        Assert.That(buffer.WrittenMemory.ToArray(), Is.EqualTo(JsonSerializer.SerializeToUtf8Bytes(large, ResponseJson.Default.ImageGroupPage)));
    }
}
