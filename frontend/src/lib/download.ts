//! Saving what the API sent as a file. Exports need the bearer token, which a plain link would not
//! carry: the app fetches them and saves the body under a name of its choosing.

/** Offers `data` to the user as a download named `name`. */
export function saveBlob(data: Blob, name: string): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
