// d3-node ships no type declarations and the project does not depend on @types/d3: the chart
// code uses d3 through this untyped handle (selections are built and serialised immediately).
declare module 'd3-node' {
  type Untyped = any;
  export class D3Node {
    constructor(opts?: { selector?: string; container?: string; styles?: string });
    readonly d3: Untyped;
    readonly document: Untyped;
    createSVG(width?: number, height?: number, attrs?: Record<string, string | number>): Untyped;
    svgString(): string;
  }
}
