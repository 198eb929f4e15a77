/* folio search index: the manifest (see out_search.h); loaded by assets/folio-search.js */
folioSearchManifest({"v":2,"version":"8c2ce65ac9942373","locale":"en-us","lang":"en-us","pages":8,"shards":[""]});
