// The asset page at a laptop's 1366×768 in a real browser, on each database: the interface table fits
// its column however long the values (cut short, whole on hover), still stacks on a phone, and the
// link pickers find records as the user types.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/user.service.ts';
import { createAsset } from '../../src/assets/asset.service.ts';
import { addInterface, connectInterfaces } from '../../src/assets/interface.service.ts';
import { createClient } from '../../src/clients/client.service.ts';
import { createNetwork } from '../../src/networks/network.service.ts';
import { createService } from '../../src/services/service.service.ts';
import { screenshot, useBrowserApp } from '../support/browser.ts';
import { DIALECTS } from '../support/databases.ts';

const PASSWORD = 'plum-orchard-lantern-47';

describe.each(DIALECTS)('the asset page in the browser on %s', (dialect) => {
  const env = useBrowserApp(dialect);
  let page: Page;
  let assetUrl: string;

  it('fits the interface table in its column at 1366×768, with long values cut short and whole on hover', async () => {
    const client = await createClient(env.ctx, { name: 'Long Names Holdings' });
    const network = await createNetwork(env.ctx, {
      clientId: client.id,
      name: 'Management network of the second floor east wing',
      cidr: '10.20.30.0/24',
    });
    const asset = await createAsset(env.ctx, {
      clientId: client.id,
      name: 'CORE-SWITCH-01',
      type: 'Switch',
      make: 'Cisco',
      uri: 'https://core-switch-01.example.test/admin',
      primaryInterface: { name: 'Management', ip: '10.20.30.2', mac: '00:11:22:33:44:01', networkId: network.id },
    });
    const peer = await createAsset(env.ctx, { clientId: client.id, name: 'DISTRIBUTION-SWITCH-WITH-A-VERY-LONG-NAME-02' });
    const peerPort = await addInterface(env.ctx, peer.id, { name: 'TenGigabitEthernet1/1/4' });
    const long = await addInterface(env.ctx, asset.id, {
      name: 'TenGigabitEthernet1/0/48-uplink-to-distribution',
      type: 'SFP+',
      ip: '10.20.30.254',
      natIp: '203.0.113.254',
      ipv6: '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      mac: 'aa:bb:cc:dd:ee:ff',
      networkId: network.id,
      description: 'Uplink to the distribution switch in the east wing comms room',
    });
    await connectInterfaces(env.ctx, long.id, peerPort.id);
    for (const name of ['Internet line', 'Backup to the cloud']) await createService(env.ctx, { clientId: client.id, name });
    await createUser(env.ctx, { email: 'wide@msp.test', name: 'Wen Wide', password: PASSWORD, role: 'technician' });

    page = await (await env.browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await page.goto(`${env.base}/sign-in`);
    await page.getByLabel('Email').fill('wide@msp.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    assetUrl = `${env.base}/assets/${asset.id}`;
    await page.goto(assetUrl);

    const table = page.locator('table.iface-table');
    const fit = await table.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, parent: el.parentElement!.clientWidth }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    expect(fit.client).toBeLessThanOrEqual(fit.parent);
    // The whole value is on hover where the cell cuts it short.
    expect(await table.locator('[title="2001:0db8:85a3:0000:0000:8a2e:0370:7334"]').count()).toBe(1);
    expect(await table.locator(`[title="${peer.name} TenGigabitEthernet1/1/4"]`).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

    // Empty fields are one line, not a column of dashes.
    expect(await page.locator('[data-empty-fields]').textContent()).toContain('Purchase reference');
    await screenshot(page, `asset-page-1366-${dialect}`);

    // An open actions menu stays inside the column too.
    await page.getByLabel(`Actions for ${long.name}`).click();
    const open = await table.evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(open).toBe(true);
    expect(await page.getByRole('button', { name: `Make ${long.name} primary` }).isVisible()).toBe(true);
    await screenshot(page, `asset-page-1366-menu-${dialect}`);
  });

  it('finds a service to link as the user types, and links it', async () => {
    await page.goto(assetUrl);
    await page.getByLabel('Find a service to link').fill('intern');
    await expect.poll(() => page.locator('#service-choices').textContent()).toContain('Internet line');
    expect(await page.locator('#service-choices').textContent()).not.toContain('Backup to the cloud');
    await page.getByRole('button', { name: 'Link Internet line' }).click();
    await expect.poll(() => page.textContent('body')).toContain('The service is linked.');
  });

  it('still stacks the interface table on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(assetUrl);
    expect(await page.locator('table.iface-table thead').evaluate((el) => getComputedStyle(el).display)).toBe('none');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await screenshot(page, `asset-page-phone-${dialect}`);
  });
});
