using Radiant.Rendering;

namespace Radiant.Tests.Rendering;

public class TileBlocksTests
{
    /// <summary>
    /// Every tile of the image is in exactly one block, each block's tiles lie in one
    /// Side × Side square (row-major), and the block side is the largest up to 4 that leaves every
    /// worker at least 16 blocks.
    /// </summary>
    [Theory]
    [InlineData(50, 50, 2, 4)]    // 800² px: 13 × 13 = 169 blocks of 4×4
    [InlineData(25, 25, 2, 4)]    // 400²: 7 × 7 = 49 blocks
    [InlineData(13, 13, 2, 2)]    // 200²: 4×4 blocks would be 16, fewer than 32; 2×2 gives 49
    [InlineData(13, 13, 8, 1)]
    [InlineData(1, 1, 2, 1)]
    [InlineData(37, 3, 2, 2)]     // wide strip: 19 × 2 = 38 blocks of 2×2
    public void Blocks_cover_every_tile_once(int tilesX, int tilesY, int workers, int expectedSide)
    {
        var blocks = new TileBlocks(tilesX, tilesY, workers);
        Assert.Equal(expectedSide, blocks.Side);
        Assert.True(blocks.Side == 1 || blocks.Count >= TileBlocks.MinBlocksPerWorker * workers);
        var seen = new int[tilesX * tilesY];
        for (int b = 0; b < blocks.Count; b++)
        {
            int corner = blocks.Tile(b, 0);   // a block's first tile is always in the image
            Assert.InRange(corner, 0, seen.Length - 1);
            for (int j = 0; j < blocks.TilesPerBlock; j++)
            {
                int tile = blocks.Tile(b, j);
                int tx = corner % tilesX + j % blocks.Side, ty = corner / tilesX + j / blocks.Side;
                Assert.Equal(tx < tilesX && ty < tilesY ? ty * tilesX + tx : -1, tile);
                if (tile >= 0) seen[tile]++;
            }
        }
        Assert.All(seen, count => Assert.Equal(1, count));
    }
}
