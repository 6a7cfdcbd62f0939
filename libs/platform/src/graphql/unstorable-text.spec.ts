import { findUnstorableText } from './unstorable-text';

describe('findUnstorableText', () => {
  it('names the path of a lone surrogate, either half, anywhere in the arguments', () => {
    const args = Object.assign(Object.create(null) as object, {
      title: 'fine',
      timeline: [{ note: 'ok' }, { note: 'broken \udc00' }],
    });
    expect(findUnstorableText(args, 'input')).toEqual({
      path: 'input.timeline.1.note',
      message: expect.stringMatching(/lone surrogate/),
    });
    expect(findUnstorableText('\ud800', 'summary')?.path).toBe('summary');
  });

  it('takes well-formed pairs and other text', () => {
    expect(findUnstorableText({ a: '東京 😀 é', b: ['x'] }, 'input')).toBeUndefined();
  });

  it('still refuses NUL', () => {
    expect(findUnstorableText({ a: 'x\u0000' }, 'input')).toEqual({
      path: 'input.a',
      message: 'must not contain a NUL character',
    });
  });
});
