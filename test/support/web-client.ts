// A browser-like client for server-level web tests: keeps cookies, reads the CSRF token out of the
// page it just loaded, and posts forms over a real socket.
import type { HttpResponse, Requester } from './http.ts';

export class WebClient {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly http: Requester) {}

  /** The same browser (its cookies, its last CSRF token), its requests now answered by another server. */
  via(http: Requester): WebClient {
    const other = new WebClient(http);
    other.cookies = this.cookies;
    other.csrf = this.csrf;
    return other;
  }

  async get(url: string): Promise<HttpResponse> {
    const res = await this.http({ url, headers: this.headers() });
    this.keep(res);
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }

  /** Posts a form; `_csrf` is the last page's token unless the fields say otherwise. */
  async post(url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const body = new URLSearchParams();
    const all: Record<string, string | string[]> = { _csrf: this.csrf, ...fields };
    for (const [key, value] of Object.entries(all)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    const res = await this.http({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
    this.keep(res);
    return res;
  }

  /** Posts a form with a file, as a browser does (multipart/form-data, fields in order, the file last). */
  async upload(url: string, fields: Record<string, string>, file: { name: string; content: string | Buffer }): Promise<HttpResponse> {
    const boundary = `----steward${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [key, value] of Object.entries({ _csrf: this.csrf, ...fields })) {
      parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`));
    }
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: text/csv\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content), Buffer.from(`\r\n--${boundary}--\r\n`));
    const res = await this.http({
      method: 'POST',
      url,
      payload: Buffer.concat(parts),
      headers: { ...this.headers(), 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    this.keep(res);
    return res;
  }

  /** The Cookie header this browser sends, for a request made by hand. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private headers(): Record<string, string> {
    return this.cookies.size ? { cookie: this.cookieHeader() } : {};
  }

  private keep(res: HttpResponse): void {
    const set = res.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair, ...attrs] = line.split(';');
      const [name, value] = pair!.split('=');
      const expired = attrs.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value!.trim());
    }
  }
}
