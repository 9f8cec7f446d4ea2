<?xml version="1.0" encoding="UTF-8"?>
<!-- How a Paper Digest feed looks when opened in a browser instead of a feed reader:
     what it is, how to subscribe, and its latest papers. Feed readers ignore this.
     The feeds name it in an xml-stylesheet instruction (generator/render/feeds.py). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="UTF-8" indent="no"/>
  <xsl:template match="/rss/channel">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="title"/> (web feed)</title>
        <style>
          body { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem; font: 16px/1.55 system-ui, sans-serif; color: #1f2328; background: #fff; }
          @media (prefers-color-scheme: dark) { body { color: #e6e6e6; background: #1e2129; } a { color: #8ab4f8; } .box { background: #2a2e38; } }
          a { color: #3f51b5; }
          .box { margin: 1rem 0 2rem; padding: 1rem 1.2rem; border-radius: 0.4rem; background: #eef0fa; }
          .box input { width: 100%; box-sizing: border-box; padding: 0.4rem; font: inherit; }
          h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
          li { margin-bottom: 0.8rem; }
          .date { color: #6a737d; font-size: 0.85rem; }
        </style>
      </head>
      <body>
        <main>
          <h1><xsl:value-of select="title"/></h1>
          <p><xsl:value-of select="description"/></p>
          <div class="box">
            <p><strong>This is a web feed.</strong> To subscribe, copy its address into your feed reader
              (Feedly, Inoreader, NetNewsWire, Thunderbird and the like):</p>
            <label>Feed address
              <input type="text" readonly="readonly" onfocus="this.select()">
                <xsl:attribute name="value"><xsl:value-of select="atom:link[@rel='self']/@href"/></xsl:attribute>
              </input>
            </label>
            <p>Or read the same papers on <a href="{link}">the site</a>.</p>
          </div>
          <h2>Latest papers</h2>
          <ol>
            <xsl:for-each select="item">
              <li>
                <a href="{link}"><xsl:value-of select="title"/></a>
                <div class="date"><xsl:value-of select="substring(pubDate, 6, 11)"/></div>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
