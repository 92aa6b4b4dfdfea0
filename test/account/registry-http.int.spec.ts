import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRegistries } from '../../src/infra/registry/http.js';
import { RegistryUnavailableError } from '../../src/infra/registry/port.js';
import { startTestApp } from '../support/harness.js';
import { REGISTER_CITIZEN } from './flows.js';

const ARBEN = {
  nid: 'J00101999W',
  idCardNumber: '012345678',
  firstName: 'Arben',
  lastName: 'Hoxha',
  birthDate: '1990-01-01',
};

describe('registries over HTTP (REGISTRY_URL)', () => {
  let server: Server;
  let base: string;
  const paths: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      paths.push(request.url ?? '');
      response.setHeader('content-type', 'application/json');
      if (request.url === '/gw/citizens/J00101999W') return response.end(JSON.stringify(ARBEN));
      if (request.url === '/gw/businesses/L12345678A')
        return response.end(
          JSON.stringify({ nipt: 'L12345678A', name: 'Furra Tirana shpk', administratorNid: 'J00101999W' }),
        );
      if (request.url === '/gw/citizens/J05515001C') {
        response.statusCode = 502;
        return response.end('{}');
      }
      if (request.url === '/gw/citizens/I80715002N') return response.end('{"nid": 1}');
      response.statusCode = 404;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gw/`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads records, answers null for 404, and calls anything else unavailable', async () => {
    const registries = new HttpRegistries(base);
    expect(await registries.citizen('J00101999W')).toEqual(ARBEN);
    expect(await registries.business('L12345678A')).toMatchObject({ name: 'Furra Tirana shpk' });
    expect(await registries.citizen('K20304003T')).toBeNull();
    await expect(registries.citizen('J05515001C')).rejects.toBeInstanceOf(RegistryUnavailableError);
    await expect(registries.citizen('I80715002N')).rejects.toBeInstanceOf(RegistryUnavailableError);
    expect(paths).toContain('/gw/citizens/J00101999W');
  });

  it('is what registration uses when REGISTRY_URL is set; the sandbox tools are gone', async () => {
    const t = await startTestApp({ REGISTRY_URL: base });
    try {
      expect(t.services.sandboxRegistries).toBeNull();
      const input = {
        nid: 'J00101999W',
        idCardNumber: '012345678',
        email: 'a@example.al',
        phone: '+355691234567',
        password: 'fjalë e gjatë sekrete',
        securityQuestion: 'Q?',
        securityAnswer: 'A',
      };
      expect((await t.gql(REGISTER_CITIZEN, { input })).data.registerCitizen.__typename).toBe('OtpSent');
      const down = await t.gql(REGISTER_CITIZEN, { input: { ...input, nid: 'J05515001C' } });
      expect(down.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      const dev = await t.app.inject({ method: 'POST', url: '/dev/registry/citizens', payload: ARBEN });
      expect(dev.statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});
