// Types for svg-to-pdfkit 0.1, which ships none: the one function it exports.
declare module 'svg-to-pdfkit' {
  interface SvgToPdfOptions {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    assumePt?: boolean;
    warningCallback?: (message: string) => void;
  }
  function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x: number, y: number,
    options?: SvgToPdfOptions): void;
  export default SVGtoPDF;
}
