// A real OpenID provider on loopback for .ci/oidc: node-oidc-provider (npm `oidc-provider`,
// certified by the OpenID Foundation), issuing JWT access tokens for the `os2pm` audience to
// one confidential client by the client-credentials grant, with the roles and organisation
// os2pm reads.
//
//   node .ci/oidc-provider.mjs PORT
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: 'aarhus-intranet',
    client_secret: 'a-client-secret-used-only-by-ci-on-loopback',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:os2pm:api',
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience: 'os2pm',
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: () => ({ roles: ['integration'], org: '751' }),
});
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider at ${issuer}`));
