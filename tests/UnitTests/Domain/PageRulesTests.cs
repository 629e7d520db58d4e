using ImageCatalog.Domain.Paging;

namespace ImageCatalog.UnitTests.Domain;

public sealed class PageRulesTests
{
    [TestCase(0, 10, 1)]
    [TestCase(9, 10, 1)]
    [TestCase(10, 10, 2)]
    [TestCase(25, 10, 3)]
    [TestCase(int.MaxValue, 1, int.MaxValue)]
    public void The_current_page_is_offset_divided_by_limit_plus_one(int offset, int limit, int expected) =>
        Assert.That(PageRules.CurrentPage(offset, limit), Is.EqualTo(expected));

    [TestCase(0L, 10, 0)]
    [TestCase(1L, 10, 1)]
    [TestCase(10L, 10, 1)]
    [TestCase(11L, 10, 2)]
    [TestCase(100_000L, 1, 100_000)]
    [TestCase(long.MaxValue / 2, 1, int.MaxValue)]
    public void Pages_round_up(long total, int limit, int expected) =>
        Assert.That(PageRules.PageCount(total, limit), Is.EqualTo(expected));
}
