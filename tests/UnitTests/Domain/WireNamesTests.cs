using ImageCatalog.Domain;
using ImageCatalog.Domain.Images;

namespace ImageCatalog.UnitTests.Domain;

public sealed class WireNamesTests
{
    [Test]
    public void Spells_every_enum_as_the_contract_does()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WireNames<ImageType>.All, Is.EqualTo(new[] { "BUILD_IN", "DEDICATED" }));
            Assert.That(WireNames<ImageStatus>.All, Is.EqualTo(new[] { "ACTIVE", "DELETED" }));
            Assert.That(WireNames<ImageArch>.All, Is.EqualTo(new[] { "X86_64", "AARCH64" }));
            Assert.That(WireNames<ImageOrigin>.All, Is.EqualTo(new[] { "CUSTOMIZE", "IMAGE_SAVE" }));
            Assert.That(WireNames<ImageServiceType>.All, Is.EqualTo(new[] { "COMMON", "INFERENCE", "TRAIN", "DEV", "UNKNOWN" }));
            Assert.That(WireNames<ImageVisibility>.All, Is.EqualTo(new[] { "PRIVATE", "PUBLIC", "HIDDEN" }));
            Assert.That(WireNames<ResourceCategory>.All, Is.EqualTo(new[] { "CPU", "GPU", "ASCEND" }));
            Assert.That(
                WireNames<DevService>.All,
                Is.EqualTo(new[] { "NOTEBOOK", "SSH", "AI_FLOW", "MA_STUDIO", "TENSOR_BOARD", "WEB_IDE" }));
        });
    }

    [TestCase("BUILD_IN", ImageType.BuildIn)]
    [TestCase("build_in", ImageType.BuildIn)]
    [TestCase("Build_In", ImageType.BuildIn)]
    [TestCase("dedicated", ImageType.Dedicated)]
    public void Parses_case_insensitively(string text, ImageType expected)
    {
        Assert.That(WireNames<ImageType>.TryParse(text, out var value), Is.True);
        Assert.That(value, Is.EqualTo(expected));
    }

    [TestCase("BuildIn")]
    [TestCase("BUILD-IN")]
    [TestCase("0")]
    [TestCase("")]
    [TestCase(null)]
    public void Rejects_member_names_numbers_and_other_spellings(string? text) =>
        Assert.That(WireNames<ImageType>.TryParse(text, out _), Is.False);
}
