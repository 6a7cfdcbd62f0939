import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { HUB_CONFIG, HubConfig } from '@renkei/platform';
import type { ApolloServerPlugin } from '@apollo/server';
import { Public } from '@renkei/identity';
import type { Response } from 'express';

/**
 * The in-browser GraphQL explorer (GraphiQL), served from npm packages by the hub itself: hub
 * hosts are often offline or air-gapped, so no CDN. Apollo's landing page slot renders the page
 * at GET /graphql for browsers; the assets come from /explorer/.
 */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': {
    pkg: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    type: 'text/javascript',
  },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

// React's `exports` map hides its UMD builds from require.resolve; its package.json is exported.
const assetPath = (a: { pkg: string; file: string }) =>
  join(dirname(require.resolve(`${a.pkg}/package.json`)), a.file);

const INIT_SCRIPT = `
const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    shouldPersistHeaders: false,
    defaultHeaders: '{\\n  "Authorization": "Bearer <session token from the login mutation>"\\n}',
    defaultQuery: '# renkei GraphQL explorer\\n# 1. Run the login mutation, 2. paste the token into Headers.\\n\\nmutation Login {\\n  login(input: { email: "you@example.org", password: "..." }) { token expiresAt }\\n}\\n',
  }),
);
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>renkei GraphQL explorer</title>
<link rel="stylesheet" href="/explorer/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the explorer...</div>
<script src="/explorer/react.js"></script>
<script src="/explorer/react-dom.js"></script>
<script src="/explorer/graphiql.js"></script>
<script src="/explorer/init.js"></script>
</body>
</html>`;

export function explorerLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: PAGE };
        },
      };
    },
  };
}

@Public()
@Controller('explorer')
export class ExplorerController {
  private readonly cache = new Map<string, Buffer>();

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  @Get('init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  init(): string {
    if (!this.config.graphql.explorer) throw new NotFoundException();
    return INIT_SCRIPT;
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset || !this.config.graphql.explorer) throw new NotFoundException();
    let body = this.cache.get(file);
    if (!body) {
      body = readFileSync(assetPath(asset));
      this.cache.set(file, body);
    }
    res.setHeader('Content-Type', `${asset.type}; charset=utf-8`);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.send(body);
  }
}
